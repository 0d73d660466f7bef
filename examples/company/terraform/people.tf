# People sign in as IAM users and get their permissions from their team's
# group. Each team is one module call: the group, its users and what the
# group may do.

module "admins" {
  source = "./modules/team"

  name = "admins"
  members = {
    alice = { console = true }
    bob   = { console = true }
  }
  policy_arns = {
    AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
}

module "developers" {
  source = "./modules/team"

  name = "developers"
  members = {
    carol = { console = true }
    # dave works from the CLI only; his key predates the move to IAM
    # Identity Center and is due to be retired.
    dave = { access_key = true }
  }
  policy_arns = {
    developer-access = aws_iam_policy.developer_access.arn
  }
}

resource "aws_iam_policy" "developer_access" {
  name        = "developer-access"
  description = "What developers need day to day: the app's data, its logs and a look at its instances."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListAppData"
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = local.app_bucket_arn
      },
      {
        Sid      = "ReadWriteAppData"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${local.app_bucket_arn}/*"
      },
      {
        Sid      = "ReadAppLogs"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"]
        Resource = "${local.app_log_group_arn}:*"
      },
      {
        Sid      = "ListLogGroups"
        Effect   = "Allow"
        Action   = "logs:DescribeLogGroups"
        Resource = "*"
      },
      {
        Sid      = "DescribeInstances"
        Effect   = "Allow"
        Action   = ["ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeTags"]
        Resource = "*"
        Condition = {
          StringEquals = { "aws:RequestedRegion" = var.region }
        }
      },
    ]
  })
}
