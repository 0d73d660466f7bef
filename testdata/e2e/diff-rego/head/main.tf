# The pull request drops the role's owner tag: no access changes, but the
# custom rule of rules/ has a new finding.
resource "aws_iam_role" "reports" {
  name = "reports"
  tags = {
    team = "data"
  }

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "reports" {
  name = "reports"
  role = aws_iam_role.reports.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "arn:aws:s3:::example-reports/*"
    }]
  })
}
