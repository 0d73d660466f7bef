# iam:PutUserPolicy on oneself: write an inline policy that allows
# everything (Rhino 10).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-put-user-policy (yes) → aws_iam_user.attacker
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "self-put"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", Resource = "arn:aws:iam::111122223333:user/*" }]
  })
}

# Near miss: the permissions boundary caps whatever it writes at S3 and
# the one IAM action, and it cannot delete the boundary.
resource "aws_iam_user" "bounded" {
  name                 = "bounded"
  permissions_boundary = aws_iam_policy.ceiling.arn
}

resource "aws_iam_policy" "ceiling" {
  name = "ceiling"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "iam:PutUserPolicy"], Resource = "*" }]
  })
}

resource "aws_iam_user_policy" "bounded" {
  user = aws_iam_user.bounded.name
  name = "self-put"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", Resource = aws_iam_user.bounded.arn }]
  })
}

# Near miss: the allow is on a path the user is not on.
resource "aws_iam_user" "wrong_path" {
  name = "wrong-path"
  path = "/staff/"
}

resource "aws_iam_user_policy" "wrong_path" {
  user = aws_iam_user.wrong_path.name
  name = "put-on-contractors"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", Resource = "arn:aws:iam::111122223333:user/contractors/*" }]
  })
}
