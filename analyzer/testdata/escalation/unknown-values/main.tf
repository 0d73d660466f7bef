# Values the loader cannot determine (a variable without a value) may be
# anything their symbolic parts allow: the move is conditional, neither
# certain nor dropped.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

variable "target_user" {
  type = string
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=conditional: iam-attach-user-policy (conditional) → aws_iam_user.attacker
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attach-to-some-user"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = "arn:aws:iam::111122223333:user/${var.target_user}" }]
  })
}

# Near miss: whatever the variable holds, it names a role, not a user.
resource "aws_iam_user" "roles_only" {
  name = "roles-only"
}

resource "aws_iam_user_policy" "roles_only" {
  user = aws_iam_user.roles_only.name
  name = "attach-to-some-role"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = "arn:aws:iam::111122223333:role/${var.target_user}" }]
  })
}
