variable "name" {
  description = "The team's name, which is also its group's name."
  type        = string
}

variable "members" {
  description = "The team's people by user name: console for a console password, access_key for an access key."
  type = map(object({
    console    = optional(bool, false)
    access_key = optional(bool, false)
  }))
}

variable "policy_arns" {
  description = "Managed policies attached to the team's group, keyed by a name known at plan time."
  type        = map(string)
  default     = {}
}

variable "user_path" {
  description = "The path of the team's users."
  type        = string
  default     = "/"
}
