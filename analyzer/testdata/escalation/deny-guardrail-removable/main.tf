# A deny guardrail that the principal can take off itself is no guardrail:
# detach the managed policy (pathfinding.cloud iam-025), delete the inline
# policy (iam-026), or leave the group it comes through.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# Denies everything but detaching policies from users.
resource "aws_iam_policy" "guardrail" {
  name = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = ["iam:DetachUserPolicy", "iam:ListAttachedUserPolicies"], Resource = "*" }]
  })
}

# Denies everything.
resource "aws_iam_policy" "lockdown" {
  name = "lockdown"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}

# AdministratorAccess under a guardrail it may detach.
resource "aws_iam_user" "detacher" {
  name = "detacher"
  # want escalation admin=yes: iam-detach-deny-policy (yes) → aws_iam_user.detacher via aws_iam_policy.guardrail
  # want step 1: iam:DetachUserPolicy arn:aws:iam::111122223333:user/detacher iam:PolicyARN=arn:aws:iam::111122223333:policy/guardrail iam:PermissionsBoundary absent (yes)
}

resource "aws_iam_user_policy_attachment" "detacher_admin" {
  user       = aws_iam_user.detacher.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "detacher_guardrail" {
  user       = aws_iam_user.detacher.name
  policy_arn = aws_iam_policy.guardrail.arn
}

# Near miss: the guardrail denies detaching it too.
resource "aws_iam_user" "locked" {
  name = "locked"
}

resource "aws_iam_user_policy_attachment" "locked_admin" {
  user       = aws_iam_user.locked.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "locked_lockdown" {
  user       = aws_iam_user.locked.name
  policy_arn = aws_iam_policy.lockdown.arn
}

# Near miss: may detach policies, but only other ones (iam:PolicyARN).
resource "aws_iam_user" "wrong_policy" {
  name = "wrong-policy"
}

resource "aws_iam_user_policy_attachment" "wrong_policy_guardrail" {
  user       = aws_iam_user.wrong_policy.name
  policy_arn = aws_iam_policy.guardrail.arn
}

resource "aws_iam_user_policy" "wrong_policy" {
  user = aws_iam_user.wrong_policy.name
  name = "admin-but-detach-only-read-only"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", NotAction = "iam:DetachUserPolicy", Resource = "*" },
      {
        Effect    = "Allow"
        Action    = "iam:DetachUserPolicy"
        Resource  = "*"
        Condition = { ArnEquals = { "iam:PolicyARN" = "arn:aws:iam::aws:policy/ReadOnlyAccess" } }
      },
    ]
  })
}

# An inline guardrail it may delete.
resource "aws_iam_user" "deleter" {
  name = "deleter"
  # want escalation admin=yes: iam-delete-deny-inline-policy (yes) → aws_iam_user.deleter via aws_iam_user_policy.deleter_guardrail
}

resource "aws_iam_user_policy_attachment" "deleter_admin" {
  user       = aws_iam_user.deleter.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy" "deleter_guardrail" {
  user = aws_iam_user.deleter.name
  name = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = "iam:DeleteUserPolicy", Resource = "*" }]
  })
}

# A guardrail that comes through a group it may leave.
resource "aws_iam_group" "restricted" {
  name = "restricted"
}

resource "aws_iam_group_policy" "restricted" {
  group = aws_iam_group.restricted.name
  name  = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = "iam:RemoveUserFromGroup", Resource = "*" }]
  })
}

resource "aws_iam_group_membership" "restricted" {
  name  = "restricted"
  group = aws_iam_group.restricted.name
  users = [aws_iam_user.leaver.name]
}

resource "aws_iam_user" "leaver" {
  name = "leaver"
  # want escalation admin=yes: iam-leave-group-with-deny (yes) → aws_iam_user.leaver via aws_iam_group.restricted
  # want step 1: iam:RemoveUserFromGroup arn:aws:iam::111122223333:group/restricted (yes)
}

resource "aws_iam_user_policy_attachment" "leaver_admin" {
  user       = aws_iam_user.leaver.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# The guardrail only blocks the escalating action: detach it, then attach
# AdministratorAccess.
resource "aws_iam_policy" "no_attach" {
  name = "no-attach"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:AttachUserPolicy", Resource = "*" }]
  })
}

resource "aws_iam_user" "two_steps" {
  name = "two-steps"
  # want escalation admin=yes: iam-detach-deny-policy (yes) → aws_iam_user.two_steps via aws_iam_policy.no_attach; iam-attach-user-policy (yes) → aws_iam_user.two_steps
}

resource "aws_iam_user_policy_attachment" "two_steps_guardrail" {
  user       = aws_iam_user.two_steps.name
  policy_arn = aws_iam_policy.no_attach.arn
}

resource "aws_iam_user_policy" "two_steps" {
  user = aws_iam_user.two_steps.name
  name = "attach-and-detach"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:AttachUserPolicy", "iam:DetachUserPolicy"], Resource = aws_iam_user.two_steps.arn }]
  })
}

# A role under a managed guardrail it may detach.
resource "aws_iam_policy" "role_guardrail" {
  name = "role-guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = "iam:DetachRolePolicy", Resource = "*" }]
  })
}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: iam-detach-deny-policy (yes) → aws_iam_role.ops via aws_iam_policy.role_guardrail
  # want step 1: iam:DetachRolePolicy arn:aws:iam::111122223333:role/ops iam:PolicyARN=arn:aws:iam::111122223333:policy/role-guardrail iam:PermissionsBoundary absent (yes)
}

resource "aws_iam_role_policy_attachment" "ops_admin" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "ops_guardrail" {
  role       = aws_iam_role.ops.name
  policy_arn = aws_iam_policy.role_guardrail.arn
}

# A managed guardrail attached to a group: detach it from the group
# (iam:DetachGroupPolicy), which does not need leaving the group.
resource "aws_iam_policy" "group_guardrail" {
  name = "group-guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = "iam:DetachGroupPolicy", Resource = "*" }]
  })
}

resource "aws_iam_group" "fenced" {
  name = "fenced"
}

resource "aws_iam_group_policy_attachment" "fenced" {
  group      = aws_iam_group.fenced.name
  policy_arn = aws_iam_policy.group_guardrail.arn
}

resource "aws_iam_user_group_membership" "group_detacher" {
  user   = aws_iam_user.group_detacher.name
  groups = [aws_iam_group.fenced.name]
}

resource "aws_iam_user" "group_detacher" {
  name = "group-detacher"
  # want escalation admin=yes: iam-detach-deny-policy (yes) → aws_iam_user.group_detacher via aws_iam_policy.group_guardrail
  # want step 1: iam:DetachGroupPolicy arn:aws:iam::111122223333:group/fenced iam:PolicyARN=arn:aws:iam::111122223333:policy/group-guardrail (yes)
}

resource "aws_iam_user_policy_attachment" "group_detacher_admin" {
  user       = aws_iam_user.group_detacher.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Two guardrails, each denying nearly everything but detaching: neither
# alone is enough to detach, both together are.
resource "aws_iam_policy" "only_s3" {
  name = "only-s3"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = ["s3:*", "iam:DetachUserPolicy"], Resource = "*" }]
  })
}

resource "aws_iam_policy" "only_ec2" {
  name = "only-ec2"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = ["ec2:*", "iam:DetachUserPolicy"], Resource = "*" }]
  })
}

resource "aws_iam_user" "double" {
  name = "double"
  # want escalation admin=yes: iam-detach-deny-policy (yes) → aws_iam_user.double
  # want step 1: iam:DetachUserPolicy arn:aws:iam::111122223333:user/double iam:PolicyARN=arn:aws:iam::111122223333:policy/only-s3 iam:PermissionsBoundary absent (yes)
  # want step 1: iam:DetachUserPolicy arn:aws:iam::111122223333:user/double iam:PolicyARN=arn:aws:iam::111122223333:policy/only-ec2 iam:PermissionsBoundary absent (yes)
}

resource "aws_iam_user_policy_attachment" "double_admin" {
  user       = aws_iam_user.double.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "double_only_s3" {
  user       = aws_iam_user.double.name
  policy_arn = aws_iam_policy.only_s3.arn
}

resource "aws_iam_user_policy_attachment" "double_only_ec2" {
  user       = aws_iam_user.double.name
  policy_arn = aws_iam_policy.only_ec2.arn
}

# Near miss: a group guardrail that denies leaving the group too, and an
# inline one that denies deleting it.
resource "aws_iam_group" "jail" {
  name = "jail"
}

resource "aws_iam_group_policy" "jail" {
  group = aws_iam_group.jail.name
  name  = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_group_membership" "jail" {
  name  = "jail"
  group = aws_iam_group.jail.name
  users = [aws_iam_user.jailed.name]
}

resource "aws_iam_user" "jailed" {
  name = "jailed"
}

resource "aws_iam_user_policy_attachment" "jailed_admin" {
  user       = aws_iam_user.jailed.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "self_locked" {
  name = "self-locked"
}

resource "aws_iam_user_policy_attachment" "self_locked_admin" {
  user       = aws_iam_user.self_locked.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy" "self_locked" {
  user = aws_iam_user.self_locked.name
  name = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", NotAction = "iam:List*", Resource = "*" }]
  })
}
