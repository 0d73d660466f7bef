# iam:PutGroupPolicy on a group one is in (Rhino 11).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group_membership" "devs" {
  name  = "devs"
  group = aws_iam_group.devs.name
  users = [aws_iam_user.attacker.name, aws_iam_user.denied.name]
}

# The permission comes from the group itself.
resource "aws_iam_group_policy" "devs" {
  group = aws_iam_group.devs.name
  name  = "put-on-groups"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutGroupPolicy", Resource = "arn:aws:iam::111122223333:group/d*" }]
  })
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-put-group-policy (yes) → aws_iam_user.attacker via aws_iam_group.devs
}

# Near miss: its own policy denies writing group policies.
resource "aws_iam_user" "denied" {
  name = "denied"
}

resource "aws_iam_user_policy" "denied" {
  user = aws_iam_user.denied.name
  name = "no-group-policies"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:PutGroupPolicy", Resource = "*" }]
  })
}

# Near miss: in no group; it may write the policies of ops, which has no
# members.
resource "aws_iam_user" "loner" {
  name = "loner"
}

resource "aws_iam_user_policy" "loner" {
  user = aws_iam_user.loner.name
  name = "put-on-ops"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutGroupPolicy", Resource = aws_iam_group.ops.arn }]
  })
}
