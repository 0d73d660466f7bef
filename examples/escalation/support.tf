# Support engineers run diagnostic functions. Their policy was copied from
# ci-release and grants iam:PassRole on "*" next to lambda:CreateFunction,
# which looks like the same escalation. It is not: every support user has
# the support-boundary permissions boundary, which allows Lambda and logs
# only, so iam:PassRole is never allowed, and nothing lets them remove it.

resource "aws_iam_user" "sam" {
  name                 = "sam"
  permissions_boundary = aws_iam_policy.support_boundary.arn
}

resource "aws_iam_user_policy" "sam" {
  name = "support-tools"
  user = aws_iam_user.sam.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DiagnosticFunctions"
        Effect   = "Allow"
        Action   = ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction", "lambda:ListFunctions"]
        Resource = "*"
      },
      {
        Sid      = "PassAnyRole"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "*"
      },
      {
        Sid      = "ReadLogs"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogGroups", "logs:GetLogEvents", "logs:FilterLogEvents"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_policy" "support_boundary" {
  name        = "support-boundary"
  path        = "/boundaries/"
  description = "The most a support engineer can ever do."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "LambdaAndLogs"
      Effect   = "Allow"
      Action   = ["lambda:*", "logs:*"]
      Resource = "*"
    }]
  })
}
