provider "aws" {
  region              = "us-gov-west-1"
  allowed_account_ids = ["123456789012"]
}

provider "aws" {
  alias  = "other"
  region = "us-east-1"
}

data "aws_partition" "current" {}

resource "aws_iam_user" "alice" {
  name = "alice"
  path = "/people/"
  tags = { team = "platform" }
}

resource "aws_iam_user_login_profile" "alice" {
  user                    = aws_iam_user.alice.name
  password_reset_required = true
}

resource "aws_iam_access_key" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_virtual_mfa_device" "alice" {
  virtual_mfa_device_name = "alice"
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_membership" "admins" {
  name  = "admins"
  group = aws_iam_group.admins.name
  users = [aws_iam_user.alice.name, "external-user"]
}

resource "aws_iam_policy_attachment" "readonly" {
  name       = "readonly"
  users      = [aws_iam_user.alice.name]
  groups     = [aws_iam_group.admins.name]
  roles      = [aws_iam_role.app.name]
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role" "app" {
  name                 = "app"
  max_session_duration = 7200
  managed_policy_arns  = [aws_iam_policy.logs.arn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })

  inline_policy {
    name = "inline-logs"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }]
    })
  }
}

resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}

resource "aws_iam_policy" "logs" {
  name_prefix = "logs-"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachments_exclusive" "app" {
  role_name   = aws_iam_role.app.name
  policy_arns = [aws_iam_policy.logs.arn]
}

resource "aws_iam_role_policies_exclusive" "app" {
  role_name    = aws_iam_role.app.name
  policy_names = ["inline-logs"]
}

resource "aws_iam_role_policy_attachment" "elsewhere" {
  role       = "role-from-another-stack"
  policy_arn = aws_iam_policy.logs.arn
}

resource "aws_iam_user_policy" "elsewhere" {
  user = "user-from-another-stack"
  name = "x"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
  })
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length = 14
  require_symbols         = true
  max_password_age        = 90
}

resource "aws_organizations_policy" "deny_leave" {
  name = "deny-leave"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "organizations:LeaveOrganization", Resource = "*" }]
  })
}

resource "aws_organizations_policy" "rcp" {
  name = "rcp"
  type = "RESOURCE_CONTROL_POLICY"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }]
  })
}

resource "aws_organizations_policy" "tags" {
  name    = "tags"
  type    = "TAG_POLICY"
  content = "{}"
}

resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.deny_leave.id
  target_id = "r-abcd"
}

resource "aws_organizations_policy_attachment" "rcp" {
  for_each  = toset(["ou-aaaa-11111111", "ou-bbbb-22222222"])
  policy_id = aws_organizations_policy.rcp.id
  target_id = each.value
}

resource "aws_iam_thing_that_does_not_exist" "x" {
  name = "ignored"
}
