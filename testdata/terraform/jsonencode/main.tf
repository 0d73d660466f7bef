provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  bucket      = "reports"
  read_action = ["s3:GetObject", "s3:ListBucket"]
  services    = ["sqs", "sns"]
}

resource "aws_iam_role" "app" {
  name = "app"
  path = "/services/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        NumericLessThan = { "aws:MultiFactorAuthAge" = 3600 }
        Bool            = { "aws:SecureTransport" = true }
      }
    }]
  })
}

resource "aws_iam_policy" "read" {
  name = "read-reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Read"
        Effect   = "Allow"
        Action   = local.read_action
        Resource = ["arn:aws:s3:::${local.bucket}", "arn:aws:s3:::${local.bucket}/*"]
      },
      {
        Effect   = "Allow"
        Action   = [for s in local.services : "${s}:Get*"]
        Resource = "arn:aws:sqs:eu-west-1:${data.aws_caller_identity.current.account_id}:jobs"
      },
      {
        Effect    = "Deny"
        NotAction = ["iam:*"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.read.arn
}

locals {
  grants = [
    { sid = "Queues", actions = ["sqs:SendMessage"], arn = "arn:aws:sqs:*:*:jobs" },
    { sid = "Topics", actions = ["sns:Publish"], arn = "arn:aws:sns:*:*:events" },
  ]
}

resource "aws_iam_policy" "generated" {
  name = "generated"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for g in local.grants : {
      Sid      = g.sid
      Effect   = "Allow"
      Action   = g.actions
      Resource = g.arn
    }]
  })
}
