# iam:CreatePolicyVersion on a customer managed policy attached to oneself
# (Rhino 1).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_policy" "dev" {
  name = "dev"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::111122223333:policy/dev" }]
  })
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-create-policy-version (yes) → aws_iam_user.attacker via aws_iam_policy.dev
  # want step 1: iam:CreatePolicyVersion arn:aws:iam::111122223333:policy/dev (yes)
}

resource "aws_iam_user_policy_attachment" "attacker" {
  user       = aws_iam_user.attacker.name
  policy_arn = aws_iam_policy.dev.arn
}

# Through a group: the policy attached to the group is rewritten for every
# member.
resource "aws_iam_group" "team" {
  name = "team"
}

resource "aws_iam_group_policy_attachment" "team" {
  group      = aws_iam_group.team.name
  policy_arn = aws_iam_policy.team.arn
}

resource "aws_iam_policy" "team" {
  name = "team"
  path = "/teams/"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
  })
}

resource "aws_iam_user" "member" {
  name = "member"
  # want escalation admin=yes: iam-create-policy-version (yes) → aws_iam_user.member via aws_iam_policy.team
}

resource "aws_iam_user_group_membership" "member" {
  user   = aws_iam_user.member.name
  groups = [aws_iam_group.team.name]
}

resource "aws_iam_user_policy" "member" {
  user = aws_iam_user.member.name
  name = "version-team-policies"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::111122223333:policy/teams/*" }]
  })
}

# Near miss: it may version a policy that is attached to nobody it can
# become.
resource "aws_iam_policy" "unused" {
  name = "unused"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
  })
}

resource "aws_iam_user" "wrong_policy" {
  name = "wrong-policy"
}

resource "aws_iam_user_policy" "wrong_policy" {
  user = aws_iam_user.wrong_policy.name
  name = "version-unused"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = aws_iam_policy.unused.arn }]
  })
}

# Near miss: only AWS managed policies, which no customer can change.
resource "aws_iam_user" "aws_managed" {
  name = "aws-managed"
}

resource "aws_iam_user_policy_attachment" "aws_managed" {
  user       = aws_iam_user.aws_managed.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user_policy" "aws_managed" {
  user = aws_iam_user.aws_managed.name
  name = "version-anything"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "*" }]
  })
}
