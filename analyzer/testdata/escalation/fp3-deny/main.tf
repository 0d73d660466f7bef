# iam-vulnerable tool-testing fp3: everything the user may do for an
# escalation is denied outright, by a deny on every action.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "fp3" {
  name = "fp3"
}

resource "aws_iam_user_policy" "fp3_allow" {
  user = aws_iam_user.fp3.name
  name = "allow"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:*"], Resource = "*" }]
  })
}

resource "aws_iam_user_policy" "fp3_deny" {
  user = aws_iam_user.fp3.name
  name = "deny"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}
