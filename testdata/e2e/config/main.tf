resource "aws_iam_policy" "reader" {
  name = "reader"
  # iamlint:ignore IAM114 the reports role reads every bucket by design, SEC-7
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "ec2:DescribeInstances", "cloudwatch:GetDashboard"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "deployer" {
  name = "deployer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole" # iamlint:ignore IAM111
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "queue" {
  name = "queue"
  # iamlint:ignore IAM103 used to grant everything, fixed since
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "arn:aws:sqs:eu-west-1:111122223333:orders" }]
  })
}
