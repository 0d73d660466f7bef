# A configuration with a known account and region, an aliased provider in
# another region, and a resource-level region.

provider "aws" {
  region              = "eu-central-1"
  allowed_account_ids = ["111122223333"]
}

provider "aws" {
  alias  = "edge"
  region = "us-east-1"
}

resource "aws_iam_role" "edge" {
  name = "edge"
  path = "/svc/"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] } }]
  })
}

resource "aws_lambda_function" "edge" {
  provider      = aws.edge
  function_name = "edge"
  role          = aws_iam_role.edge.arn
}

# The role by its ARN, written out.
resource "aws_lambda_function" "local" {
  function_name = "local"
  role          = "arn:aws:iam::111122223333:role/svc/edge"
}

# A role declared in another input (not this configuration).
resource "aws_codebuild_project" "shared" {
  name         = "shared"
  region       = "eu-west-1"
  service_role = "arn:aws:iam::111122223333:role/shared-builder"
}

resource "aws_iam_policy" "invoke" {
  name = "invoke"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = [aws_lambda_function.edge.arn, aws_lambda_function.local.arn] }]
  })
}

# The module's default provider is the aliased one.
module "edge" {
  source    = "./modules/edge"
  providers = { aws = aws.edge }
}
