locals {
  doc  = data.aws_iam_policy_document.shared.json
  role = aws_iam_role.r
  names = [for r in aws_iam_user.u : r.name]
}

data "aws_iam_policy_document" "shared" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}

data "aws_iam_policy_document" "base" {
  source_policy_documents = [data.aws_iam_policy_document.shared.json]
  statement {
    sid       = "X"
    actions   = ["s3:PutObject", var.extra]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = toset(["a", "b"])
    content {
      sid       = "D${statement.value}"
      actions   = ["sqs:${statement.value}*"]
      resources = ["*"]
    }
  }
}

variable "extra" {
  default = "s3:ListBucket"
}

resource "aws_iam_policy" "p" {
  count  = 2
  name   = "p${count.index}"
  policy = count.index == 0 ? data.aws_iam_policy_document.base.json : local.doc
}

resource "aws_iam_user" "u" {
  for_each = toset(["x", "y"])
  name     = "user-${each.key}"
  tags     = { team = each.value }
}

resource "aws_iam_user_policy_attachment" "a" {
  for_each   = aws_iam_user.u
  user       = each.value.name
  policy_arn = aws_iam_policy.p[1].arn
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "rp" {
  role   = local.role.name
  name   = "rp-${aws_iam_user.u["x"].bogus}"
  policy = local.doc
}

resource "aws_s3_bucket_policy" "bp" {
  bucket = "b"
  policy = data.aws_iam_policy_document.shared.json
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
}

resource "aws_iam_group" "g" {
  name = "g-${length(local.names)}"
}

resource "aws_iam_group_membership" "m" {
  name  = "m"
  group = aws_iam_group.g.name
  users = [for u in aws_iam_user.u : u.name]
}

data "aws_iam_policy_document" "unused" {
  statement {
    actions   = ["ec2:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "desc_only" {
  statement {
    actions   = ["ec2:Describe*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "described" {
  name        = "described"
  description = data.aws_iam_policy_document.desc_only.json
  policy      = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}

module "m" {
  source   = "./mod"
  for_each = { one = "1", two = "2" }
  suffix   = each.value
  doc      = data.aws_iam_policy_document.shared.json
}

resource "aws_iam_role_policy_attachment" "modatt" {
  role       = module.m["one"].role_name
  policy_arn = aws_iam_policy.p[0].arn
}

output "all_roles" {
  value = aws_iam_role.r
}
