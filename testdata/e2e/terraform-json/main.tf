variable "bucket" {
  type = string
}

variable "queue_arn" {
  type = string
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "logs"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["cloudwatchlogs:PutLogEvents", "logs:CreateLogStream"]
        Resource = "*"
      }]
    })
  }
}

resource "aws_iam_role_policy" "read" {
  name = "read"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadReports"
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::${var.bucket}"
    }]
  })
}

data "aws_iam_policy_document" "list" {
  statement {
    sid       = "ListHome"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket}/*"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["home/*"]
    }
  }
}

resource "aws_iam_policy" "list" {
  name   = "list"
  policy = data.aws_iam_policy_document.list.json
}

resource "aws_iam_policy" "queue" {
  name   = "queue"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["sqs:SendMessages"], "Resource": "${var.queue_arn}"}
      ]
    }
  EOT
}
