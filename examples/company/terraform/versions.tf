terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# allowed_account_ids makes Terraform refuse to run with credentials for any
# other account, so every data.aws_caller_identity lookup below can only
# ever return var.account_id. iamlint reads it the same way: ARNs built
# from the caller identity come out concrete.
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]
}
