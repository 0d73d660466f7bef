locals {
  buckets = {
    logs    = ["s3:GetObject"]
    reports = ["s3:GetObject", "s3:PutObject"]
  }
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "ListAll"
    actions   = ["s3:ListAllMyBuckets"]
    resources = ["*"]
  }
  statement {
    sid       = "Shared"
    actions   = ["s3:GetBucketLocation"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Home"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["arn:aws:s3:::home/&{aws:username}/*"]
  }
}

data "aws_iam_policy_document" "main" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "Shared"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucket"]
    resources = ["arn:aws:s3:::shared"]
  }

  statement {
    sid         = "Home"
    not_actions = ["iam:*"]
    resources   = ["*"]
  }

  dynamic "statement" {
    for_each = local.buckets
    content {
      actions   = statement.value
      resources = ["arn:aws:s3:::${statement.key}/*"]
    }
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:role/ci", "arn:aws:iam::444455556666:role/deploy"]
    }
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["b", "a"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["c"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = [true]
    }
  }
}

data "aws_iam_policy_document" "public" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::site/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "per_env" {
  for_each = toset(["dev", "prod"])
  statement {
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:*:*:parameter/${each.key}/*"]
  }
}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "main" {
  role   = aws_iam_role.ci.id
  name   = "main"
  policy = data.aws_iam_policy_document.main.json
}

resource "aws_iam_role_policy" "env" {
  for_each = data.aws_iam_policy_document.per_env
  role     = aws_iam_role.ci.name
  name     = "env-${each.key}"
  policy   = each.value.json
}
