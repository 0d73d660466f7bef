data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  app_bucket_arn       = "arn:aws:s3:::${var.app_bucket}"
  artifacts_bucket_arn = "arn:aws:s3:::${var.artifacts_bucket}"
  app_log_group_arn    = "arn:aws:logs:${var.region}:${local.account_id}:log-group:/examplecorp/app"

  # The GitHub Actions OIDC provider is created once per account by the
  # bootstrap stack, so it is named here rather than declared.
  github_oidc_provider_arn = "arn:aws:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com"
}

resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 14
  require_symbols                = true
  require_numbers                = true
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  allow_users_to_change_password = true
  password_reuse_prevention      = 24
}
