# iam-vulnerable tool-testing fn4: NotAction leaves the escalating
# actions allowed (it excludes some IAM actions, not iam:Attach*,
# iam:Create* or iam:Update*).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "fn4" {
  name = "fn4"
  # want escalation admin=yes: iam-attach-user-policy (yes) → aws_iam_user.fn4
}

resource "aws_iam_user_policy" "fn4" {
  user = aws_iam_user.fn4.name
  name = "fn4-exploitableNotAction"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:Put*", "iam:Delete*", "iam:Remove*", "iam:Detach*"]
      Resource  = aws_iam_user.fn4.arn
    }]
  })
}

# Near miss: NotAction iam:* on every resource allows everything but IAM,
# and there is nothing here to gain outside IAM.
resource "aws_iam_user" "no_iam" {
  name = "no-iam"
}

resource "aws_iam_user_policy" "no_iam" {
  user = aws_iam_user.no_iam.name
  name = "power-user"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = ["iam:*", "organizations:*", "account:*"], Resource = "*" }]
  })
}
