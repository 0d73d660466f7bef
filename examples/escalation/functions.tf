# The roles Lambda functions run as: the app's, and the operations team's,
# which cleans up the account every night and is an administrator.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app_function" {
  name               = "app-function"
  description        = "The app's functions."
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "app_function" {
  name = "app-data"
  role = aws_iam_role.app_function.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "AppTable"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
      Resource = "arn:aws:dynamodb:${var.region}:${local.account_id}:table/app"
    }]
  })
}

resource "aws_iam_role" "ops_automation" {
  name               = "ops-automation"
  description        = "Nightly clean-up of the account."
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "ops_automation" {
  role       = aws_iam_role.ops_automation.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "app_api" {
  function_name = "app-api"
  role          = aws_iam_role.app_function.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "app-api.zip"
}

resource "aws_lambda_function" "nightly_cleanup" {
  function_name = "ops-nightly-cleanup"
  role          = aws_iam_role.ops_automation.arn
  handler       = "cleanup.handler"
  runtime       = "python3.12"
  filename      = "cleanup.zip"
}
