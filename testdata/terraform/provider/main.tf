variable "region" {
  default = "eu-west-1"
}

locals {
  owner = "platform"
}

provider "aws" {
  region              = var.region
  allowed_account_ids = ["111122223333"]

  default_tags {
    tags = {
      owner       = local.owner
      team        = "shared"
      cost-center = 42
    }
  }
}

# An aliased provider changes neither the region nor the default tags.
provider "aws" {
  alias  = "us"
  region = "us-east-1"

  default_tags {
    tags = {
      aliased = "yes"
    }
  }
}

data "aws_region" "current" {}

data "aws_region" "other" {
  region = "ap-southeast-2"
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = "<EntityDescriptor/>"
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRoleWithWebIdentity"
        Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
        Condition = {
          StringLike = { "token.actions.githubusercontent.com:sub" = "repo:acme/*" }
        }
      },
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRoleWithSAML"
        Principal = { Federated = aws_iam_saml_provider.okta.id }
      },
    ]
  })
  tags = {
    team = "ci"
  }
}

resource "aws_iam_role_policy" "ci" {
  role = aws_iam_role.ci.name
  name = "regional"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "ssm:GetParameter"
      Resource = [
        "arn:aws:ssm:${data.aws_region.current.name}:111122223333:parameter/ci/*",
        "arn:aws:ssm:${data.aws_region.current.region}:111122223333:parameter/${aws_iam_role.ci.tags_all["owner"]}/*",
        "arn:aws:ssm:${data.aws_region.other.id}:111122223333:parameter/ci/*",
      ]
    }]
  })
}

resource "aws_iam_user" "bot" {
  name = "bot"
}
