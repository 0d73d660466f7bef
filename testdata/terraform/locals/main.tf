resource "aws_iam_group" "devs" {
  name = local.group_name
  path = local.path
}

resource "aws_iam_group_policy" "devs" {
  group  = aws_iam_group.devs.name
  name   = "devs"
  policy = local.devs_policy
}

resource "aws_iam_group_policy" "heredoc" {
  group  = aws_iam_group.devs.name
  name   = "heredoc"
  policy = local.heredoc_policy
}

locals {
  devs_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.read_statement, merge(local.base_statement, { Action = local.all_actions })]
  })
  read_statement = {
    Effect   = "Allow"
    Action   = local.read_actions
    Resource = "*"
  }
  base_statement = {
    Effect   = "Deny"
    Resource = "arn:aws:s3:::${local.prefix}-secrets/*"
  }
  all_actions  = concat(local.read_actions, ["s3:DeleteObject"])
  read_actions = ["s3:GetObject", "s3:ListBucket"]
  group_name   = "${local.prefix}-developers"
  prefix       = "acme"
  path         = "/teams/"
}

locals {
  heredoc_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "cloudwatch:Get*", "Resource": "*"}]
    }
  EOT
}
