# Account 111122223333: the callers. A cross-account role assumption needs
# both the caller's own policies and the role's trust policy to allow it.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "integrator" {
  name = "integrator"
  # want assumes aws_iam_role.vendor (conditional, external-id)
  # want assumes aws_iam_role.open (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.open
}

resource "aws_iam_user_policy" "integrator" {
  user = aws_iam_user.integrator.name
  name = "assume-their-roles"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::444455556666:role/*" }]
  })
}

# Only the vendor role is allowed: conditional on the external ID.
resource "aws_iam_user" "vendor_only" {
  name = "vendor-only"
  # want assumes aws_iam_role.vendor (conditional, external-id)
  # want escalation admin=yes: sts-assume-role (conditional) → aws_iam_role.vendor
}

resource "aws_iam_user_policy" "vendor_only" {
  user = aws_iam_user.vendor_only.name
  name = "assume-vendor"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::444455556666:role/vendor" }]
  })
}

# Near miss: named by the trust policy of the named role, but its own
# policies do not allow sts:AssumeRole, which a cross-account call needs.
resource "aws_iam_user" "named" {
  name = "named"
}

# Near miss: IAM and Lambda permissions on every resource, but the roles
# and the function are in the other account.
resource "aws_iam_user" "wildcard" {
  name = "wildcard"
}

resource "aws_iam_user_policy" "wildcard" {
  user = aws_iam_user.wildcard.name
  name = "iam-and-lambda-everywhere"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "lambda:CreateFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionCode"]
      Resource = "*"
    }]
  })
}
