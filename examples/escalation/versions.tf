terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# allowed_account_ids pins the account, so the ARNs built from the caller
# identity below come out concrete.
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]
}

variable "account_id" {
  description = "The account this configuration manages."
  type        = string
  default     = "777788889999"
}

variable "region" {
  description = "Where the functions run."
  type        = string
  default     = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
}
