# GitHub Actions deploys the app: production deployments of the app's
# repository assume ci-deploy through the account's OIDC provider, upload
# the release and roll the instances onto it.

data "aws_iam_policy_document" "github_actions_trust" {
  statement {
    sid     = "GitHubActionsProduction"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:production"]
    }
  }
}

resource "aws_iam_role" "ci_deploy" {
  name                 = "ci-deploy"
  description          = "Assumed by GitHub Actions to deploy the app to production."
  assume_role_policy   = data.aws_iam_policy_document.github_actions_trust.json
  permissions_boundary = aws_iam_policy.ci_boundary.arn
}

data "aws_iam_policy_document" "ci_deploy" {
  statement {
    sid       = "UploadArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${local.artifacts_bucket_arn}/app/*"]
  }

  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["app/*"]
    }
  }

  statement {
    sid = "DescribeRollout"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeInstanceRefreshes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:DescribeLaunchTemplates",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "RollOutApp"
    actions   = ["ec2:CreateLaunchTemplateVersion", "autoscaling:StartInstanceRefresh"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Application"
      values   = ["app"]
    }
  }

  statement {
    sid       = "PassAppRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.app.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "ci_deploy" {
  name   = "deploy"
  role   = aws_iam_role.ci_deploy.id
  policy = data.aws_iam_policy_document.ci_deploy.json
}

# The boundary caps what ci-deploy can ever do, whatever policies it is
# given later: the deployment's services, passing the app role, and no
# changes to IAM.
data "aws_iam_policy_document" "ci_boundary" {
  statement {
    sid     = "DeployScope"
    actions = ["autoscaling:*", "ec2:*", "s3:*"]
    resources = [
      local.artifacts_bucket_arn,
      "${local.artifacts_bucket_arn}/*",
      "arn:aws:ec2:${var.region}:${local.account_id}:*",
      "arn:aws:autoscaling:${var.region}:${local.account_id}:*",
    ]
  }

  statement {
    sid       = "DescribeAnything"
    actions   = ["autoscaling:Describe*", "ec2:Describe*"]
    resources = ["*"]
  }

  statement {
    sid       = "PassAppRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.app.arn]
  }

  statement {
    sid    = "NoIdentityChanges"
    effect = "Deny"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeleteRolePermissionsBoundary",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "ci_boundary" {
  name        = "ci-boundary"
  path        = "/boundaries/"
  description = "Permissions boundary of the CI deploy role."
  policy      = data.aws_iam_policy_document.ci_boundary.json
}
