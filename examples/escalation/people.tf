# Developers sign in as IAM users and get their permissions from the
# developers group. Besides their day-to-day access they may assume
# ci-release, to run a release by hand when the pipeline is down.

resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_user" "dana" {
  name = "dana"
}

resource "aws_iam_user" "eli" {
  name = "eli"
}

resource "aws_iam_group_membership" "developers" {
  name  = "developers-members"
  group = aws_iam_group.developers.name
  users = [aws_iam_user.dana.name, aws_iam_user.eli.name]
}

resource "aws_iam_policy" "developer_access" {
  name        = "developer-access"
  description = "Day-to-day access for developers, and the hand release."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadFunctions"
        Effect   = "Allow"
        Action   = ["lambda:GetFunction", "lambda:ListFunctions"]
        Resource = "*"
      },
      {
        Sid      = "ReadLogs"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogGroups", "logs:GetLogEvents", "logs:FilterLogEvents"]
        Resource = "*"
      },
      {
        Sid      = "HandRelease"
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = aws_iam_role.ci_release.arn
      },
    ]
  })
}

resource "aws_iam_group_policy_attachment" "developers" {
  group      = aws_iam_group.developers.name
  policy_arn = aws_iam_policy.developer_access.arn
}
