# iam:AttachUserPolicy on oneself: attach AdministratorAccess (Rhino 7).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-attach-user-policy (yes) → aws_iam_user.attacker
  # want step 1: iam:AttachUserPolicy arn:aws:iam::111122223333:user/attacker iam:PolicyARN=arn:aws:iam::aws:policy/AdministratorAccess iam:PermissionsBoundary absent (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "self-attach"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = aws_iam_user.attacker.arn }]
  })
}

# Near miss: it may attach policies to another user only, and cannot become
# that user.
resource "aws_iam_user" "other_user" {
  name = "other-user"
}

resource "aws_iam_user_policy" "other_user" {
  user = aws_iam_user.other_user.name
  name = "attach-to-bob"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = "arn:aws:iam::111122223333:user/bob" }]
  })
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

# Near miss: iam:PolicyARN only lets it attach ReadOnlyAccess.
resource "aws_iam_user" "read_only_only" {
  name = "read-only-only"
}

resource "aws_iam_user_policy" "read_only_only" {
  user = aws_iam_user.read_only_only.name
  name = "attach-read-only"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:AttachUserPolicy"
      Resource  = aws_iam_user.read_only_only.arn
      Condition = { ArnEquals = { "iam:PolicyARN" = "arn:aws:iam::aws:policy/ReadOnlyAccess" } }
    }]
  })
}

# Near miss: a deny in the same account on every attachment.
resource "aws_iam_user" "denied" {
  name = "denied"
}

resource "aws_iam_user_policy" "denied" {
  user = aws_iam_user.denied.name
  name = "attach-but-denied"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = "*" },
      { Effect = "Deny", Action = "iam:Attach*", Resource = "*" },
    ]
  })
}
