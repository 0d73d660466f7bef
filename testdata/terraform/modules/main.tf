module "ci" {
  source  = "./modules/ci"
  name    = "ci"
  actions = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"]
}

module "team" {
  source   = "./modules/team"
  for_each = { red = ["alice"], blue = ["bob", "carol"] }
  team     = each.key
  members  = each.value
}

module "iam_user" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 5.0"
  name    = "vendor"
}

resource "aws_iam_policy" "assume_ci" {
  name = "assume-ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = [module.ci.role_arn, module.iam_user.iam_user_arn]
    }]
  })
}

resource "aws_iam_group_policy_attachment" "red" {
  group      = module.team["red"].group_name
  policy_arn = aws_iam_policy.assume_ci.arn
}

module "gone" {
  source = "./modules/gone"
}

module "from_git" {
  source = "git::https://example.com/iam-modules.git//roles?ref=v1.2.0"
}
