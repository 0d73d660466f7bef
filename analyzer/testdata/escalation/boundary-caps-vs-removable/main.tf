# A permissions boundary caps what a principal's policies grant, unless
# the principal may delete it (pathfinding.cloud iam-022, iam-023).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_policy" "ceiling" {
  name = "ceiling"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "iam:AttachUserPolicy", "iam:PutUserPolicy"], Resource = "*" }]
  })
}

resource "aws_iam_policy" "ceiling_with_exit" {
  name = "ceiling-with-exit"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary"], Resource = "*" }]
  })
}

# Near miss: AdministratorAccess, capped; it may attach policies to itself,
# but the boundary still caps them.
resource "aws_iam_user" "capped" {
  name                 = "capped"
  permissions_boundary = aws_iam_policy.ceiling.arn
}

resource "aws_iam_user_policy_attachment" "capped" {
  user       = aws_iam_user.capped.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# AdministratorAccess, capped by a boundary it may delete.
resource "aws_iam_user" "uncapped" {
  name                 = "uncapped"
  permissions_boundary = aws_iam_policy.ceiling_with_exit.arn
  # want escalation admin=yes: iam-delete-permissions-boundary (yes) → aws_iam_user.uncapped via aws_iam_policy.ceiling_with_exit
  # want step 1: iam:DeleteUserPermissionsBoundary arn:aws:iam::111122223333:user/uncapped iam:PermissionsBoundary=arn:aws:iam::111122223333:policy/ceiling-with-exit (yes)
}

resource "aws_iam_user_policy_attachment" "uncapped" {
  user       = aws_iam_user.uncapped.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# The same for a role.
resource "aws_iam_role" "uncapped" {
  name                 = "uncapped"
  permissions_boundary = aws_iam_policy.ceiling_with_exit.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: iam-delete-permissions-boundary (yes) → aws_iam_role.uncapped via aws_iam_policy.ceiling_with_exit
}

resource "aws_iam_role_policy_attachment" "uncapped" {
  role       = aws_iam_role.uncapped.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Its identity policy lets it attach policies and delete its boundary,
# and the boundary lets both through: attach, then delete the boundary.
resource "aws_iam_user" "attach_then_delete" {
  name                 = "attach-then-delete"
  permissions_boundary = aws_iam_policy.ceiling_attach_exit.arn
  # want escalation admin=yes: iam-attach-user-policy (yes) → aws_iam_user.attach_then_delete
  # want step 1: iam:AttachUserPolicy arn:aws:iam::111122223333:user/attach-then-delete iam:PolicyARN=arn:aws:iam::aws:policy/AdministratorAccess iam:PermissionsBoundary=arn:aws:iam::111122223333:policy/ceiling-attach-exit (yes)
  # want step 1: iam:DeleteUserPermissionsBoundary arn:aws:iam::111122223333:user/attach-then-delete iam:PermissionsBoundary=arn:aws:iam::111122223333:policy/ceiling-attach-exit (yes)
}

resource "aws_iam_policy" "ceiling_attach_exit" {
  name = "ceiling-attach-exit"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:AttachUserPolicy", "iam:DeleteUserPermissionsBoundary"], Resource = "*" }]
  })
}

resource "aws_iam_user_policy" "attach_then_delete" {
  user = aws_iam_user.attach_then_delete.name
  name = "attach-and-unbound"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:AttachUserPolicy", "iam:DeleteUserPermissionsBoundary"], Resource = aws_iam_user.attach_then_delete.arn }]
  })
}

# Delegated administration: it may attach policies only to users that
# carry the ceiling boundary (iam:PermissionsBoundary). Near miss: it
# carries the boundary, which caps it.
resource "aws_iam_policy" "delegate" {
  name = "delegate"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["iam:AttachUserPolicy", "iam:PutUserPolicy"]
      Resource  = "*"
      Condition = { StringEquals = { "iam:PermissionsBoundary" = aws_iam_policy.ceiling.arn } }
    }]
  })
}

resource "aws_iam_user" "delegate_bounded" {
  name                 = "delegate-bounded"
  permissions_boundary = aws_iam_policy.ceiling.arn
}

resource "aws_iam_user_policy_attachment" "delegate_bounded" {
  user       = aws_iam_user.delegate_bounded.name
  policy_arn = aws_iam_policy.delegate.arn
}

# Near miss: no boundary, so the condition fails on its own user.
resource "aws_iam_user" "delegate_free" {
  name = "delegate-free"
}

resource "aws_iam_user_policy_attachment" "delegate_free" {
  user       = aws_iam_user.delegate_free.name
  policy_arn = aws_iam_policy.delegate.arn
}
