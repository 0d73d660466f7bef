# ci-release deploys the app's Lambda functions. The pipeline assumes it,
# and so may any principal of the account whose policies allow
# sts:AssumeRole on it, as long as it signed in with MFA.

data "aws_iam_policy_document" "ci_release_trust" {
  statement {
    sid     = "AccountWithMFA"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account_id}:root"]
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "ci_release" {
  name               = "ci-release"
  description        = "Deploys the app's Lambda functions."
  assume_role_policy = data.aws_iam_policy_document.ci_release_trust.json
}

data "aws_iam_policy_document" "ci_release" {
  # The function actions are limited to the app's functions, app-*. That
  # does not stop a new function: whoever creates it picks its name.
  statement {
    sid = "DeployAppFunctions"
    actions = [
      "lambda:CreateFunction",
      "lambda:GetFunction",
      "lambda:InvokeFunction",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
    ]
    resources = ["arn:aws:lambda:${var.region}:${local.account_id}:function:app-*"]
  }

  # Meant for the app-function role only; "*" lets the pipeline hand any
  # role of the account to a function it creates.
  statement {
    sid       = "PassFunctionRole"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ci_release" {
  name   = "release"
  role   = aws_iam_role.ci_release.id
  policy = data.aws_iam_policy_document.ci_release.json
}
