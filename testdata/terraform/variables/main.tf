variable "a" {
  default = "from-default"
}
variable "b" {
  default = "from-default"
}
variable "c" {
  type = string
}
variable "d" {
  type = string
}
variable "e" {
  type = string
}
variable "f" {
  type = list(string)
}
variable "g" {
  type = object({
    prefix = optional(string, "acme")
    env    = string
  })
}
variable "unset" {
  type = string
}

resource "aws_iam_policy" "p" {
  name = "${var.g.prefix}-${var.g.env}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = var.f
      Resource = [var.a, var.b, var.c, var.d, var.e, "arn:aws:s3:::${var.unset}"]
    }]
  })
}
