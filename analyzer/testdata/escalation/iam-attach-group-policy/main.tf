# iam:AttachGroupPolicy on a group one is in (Rhino 8).

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

resource "aws_iam_user_group_membership" "attacker" {
  user   = aws_iam_user.attacker.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-attach-group-policy (yes) → aws_iam_user.attacker via aws_iam_group.devs
  # want step 1: iam:AttachGroupPolicy arn:aws:iam::111122223333:group/devs iam:PolicyARN=arn:aws:iam::aws:policy/AdministratorAccess (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attach-to-devs"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachGroupPolicy", Resource = aws_iam_group.devs.arn }]
  })
}

# Near miss: it may attach policies to ops, a group it is not in.
resource "aws_iam_user" "outsider" {
  name = "outsider"
}

resource "aws_iam_user_group_membership" "outsider" {
  user   = aws_iam_user.outsider.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_user_policy" "outsider" {
  user = aws_iam_user.outsider.name
  name = "attach-to-ops"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachGroupPolicy", Resource = aws_iam_group.ops.arn }]
  })
}

# Near miss: in devs, but only AWS managed read-only policies may be attached.
resource "aws_iam_user" "read_only" {
  name = "read-only"
}

resource "aws_iam_user_group_membership" "read_only" {
  user   = aws_iam_user.read_only.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_user_policy" "read_only" {
  user = aws_iam_user.read_only.name
  name = "attach-read-only-to-devs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:AttachGroupPolicy"
      Resource  = aws_iam_group.devs.arn
      Condition = { ArnLike = { "iam:PolicyARN" = "arn:aws:iam::aws:policy/*ReadOnly*" } }
    }]
  })
}
