# A Lambda function's role, as Terraform declares it. iamlint reads the trust
# policy from the data source and the inline policies from jsonencode and the
# policy document data source; the finding's path names the role.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "reports-exporter"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "logs" {
  name = "logs"
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvent"]
      Resource = "arn:aws:logs:*:*:log-group:/aws/lambda/reports-exporter:*"
    }]
  })
}

data "aws_iam_policy_document" "export" {
  statement {
    sid       = "ReadReports"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-reports/*"]
  }
  statement {
    sid       = "ListReports"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::example-reports"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["daily/*"]
    }
  }
}

resource "aws_iam_role_policy" "export" {
  name   = "export"
  role   = aws_iam_role.reports.id
  policy = data.aws_iam_policy_document.export.json
}

# The function that runs with the role above, and an EC2 host that runs the
# same export with an instance profile: `iamlint inspect` shows which role
# each of these workloads runs with.
resource "aws_lambda_function" "reports" {
  function_name = "reports-exporter"
  role          = aws_iam_role.reports.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "exporter.zip"
}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports_host" {
  name               = "reports-host"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy" "reports_host" {
  name   = "export"
  role   = aws_iam_role.reports_host.id
  policy = data.aws_iam_policy_document.export.json
}

resource "aws_iam_instance_profile" "reports_host" {
  name = "reports-host"
  role = aws_iam_role.reports_host.name
}

resource "aws_instance" "reports_host" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.reports_host.name
}
