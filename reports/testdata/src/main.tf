resource "aws_iam_user" "dana" {
  name = "dana"
}

resource "aws_iam_user_policy" "dana" {
  name = "assume-release"
  user = aws_iam_user.dana.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.ci_release.arn }]
  })
}

resource "aws_iam_role" "ci_release" {
  name = "ci-release"
}

resource "aws_iam_role_policy" "ci_release" {
  name = "release"
  role = aws_iam_role.ci_release.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "ops_automation" {
  name = "ops-automation"
}
