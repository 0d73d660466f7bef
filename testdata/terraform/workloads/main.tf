# Workloads: compute resources that run with a role. No provider block: the
# account and region are the symbolic ones of the data sources below.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

variable "notebook_role_arn" {
  type = string
}

# Only the function's environment reads this: it is not evaluated.
variable "table" {
  type = string
}

locals {
  jobs = { nightly = "etl-nightly", hourly = "etl-hourly" }
}

# The role is declared in roles.tf.
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  environment {
    variables = { TABLE = var.table }
  }
}

resource "aws_lambda_function" "worker" {
  count         = 2
  function_name = "worker-${count.index}"
  role          = aws_iam_role.worker[count.index].arn
}

resource "aws_glue_job" "etl" {
  for_each = local.jobs
  name     = each.value
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://scripts/${each.key}.py"
  }
}

# An ARN written out, with the account of the configuration.
resource "aws_glue_dev_endpoint" "dev" {
  name     = "dev"
  role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/glue"
}

# A role only known at apply.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = var.notebook_role_arn
  instance_type = "ml.t3.medium"
}

resource "aws_cloudformation_stack" "network" {
  name          = "network"
  template_body = "{}"
}

# Another account's role: not in the inputs.
resource "aws_cloudformation_stack" "app" {
  name          = "app"
  iam_role_arn  = "arn:aws:iam::444455556666:role/cfn-deployer"
  template_body = "{}"
}

# A role the configuration does not declare but attaches a policy to.
resource "aws_codebuild_project" "build" {
  name         = "build"
  service_role = "legacy-builder"
}

resource "aws_iam_role_policy_attachment" "legacy_builder" {
  role       = "legacy-builder"
  policy_arn = "arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess"
}

resource "aws_ecs_task_definition" "svc" {
  family                = "svc"
  task_role_arn         = aws_iam_role.task.arn
  execution_role_arn    = aws_iam_role.lambda.arn
  container_definitions = "[]"
}

resource "aws_apprunner_service" "web" {
  service_name = "web"
  instance_configuration {
    instance_role_arn = aws_iam_role.task.arn
  }
}

resource "aws_datapipeline_pipeline" "nightly" {
  name = "nightly"
}

resource "aws_iam_instance_profile" "web" {
  name = "web"
  role = aws_iam_role.web.name
}

resource "aws_instance" "web" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.web.name
}

resource "aws_launch_template" "web" {
  name_prefix = "web-"
  iam_instance_profile {
    arn = aws_iam_instance_profile.web.arn
  }
}

# A profile the configuration does not declare.
resource "aws_instance" "legacy" {
  ami                  = "ami-0123456789abcdef0"
  iam_instance_profile = "legacy-profile"
}

module "worker" {
  source   = "./modules/worker"
  for_each = toset(["a", "b"])
  name     = each.key
}
