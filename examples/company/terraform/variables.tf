variable "account_id" {
  description = "The account this configuration manages. The provider refuses to plan against any other."
  type        = string
  default     = "111122223333"
}

variable "region" {
  description = "Where the app runs."
  type        = string
  default     = "eu-west-1"
}

variable "app_bucket" {
  description = "The bucket holding the app's data."
  type        = string
  default     = "examplecorp-app-data"
}

variable "artifacts_bucket" {
  description = "The bucket CI uploads release artifacts to."
  type        = string
  default     = "examplecorp-deploy-artifacts"
}

variable "github_repository" {
  description = "The repository whose production deployments may assume ci-deploy (owner/name)."
  type        = string
  default     = "examplecorp/app"
}

variable "enable_auditor" {
  description = "Whether the external auditors' role exists."
  type        = bool
  default     = true
}

variable "auditor_account_id" {
  description = "The auditing firm's AWS account."
  type        = string
  default     = "444455556666"
}

variable "auditor_external_id" {
  description = "The ExternalId the auditing firm sends when it assumes the auditor role."
  type        = string
  default     = "examplecorp-audit-2f9c61"
}
