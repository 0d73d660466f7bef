# An SCP on the account: it allows everything but denies attaching
# policies to users, and no principal can remove it.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_organizations_policy" "no_attach" {
  name = "no-attach"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "*", Resource = "*" },
      { Effect = "Deny", Action = "iam:AttachUserPolicy", Resource = "*" },
    ]
  })
}

resource "aws_organizations_policy_attachment" "no_attach" {
  policy_id = aws_organizations_policy.no_attach.id
  target_id = "111122223333"
}

# Near miss: the SCP denies what it would use.
resource "aws_iam_user" "attacher" {
  name = "attacher"
}

resource "aws_iam_user_policy" "attacher" {
  user = aws_iam_user.attacher.name
  name = "attach"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = aws_iam_user.attacher.arn }]
  })
}

# The SCP does not stop inline policies.
resource "aws_iam_user" "putter" {
  name = "putter"
  # want escalation admin=yes: iam-put-user-policy (yes) → aws_iam_user.putter
}

resource "aws_iam_user_policy" "putter" {
  user = aws_iam_user.putter.name
  name = "put"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", Resource = aws_iam_user.putter.arn }]
  })
}

# AdministratorAccess under the SCP: still an administrator (one action
# denied, every other allowed).
resource "aws_iam_user" "admin" {
  name = "admin"
  # want is-admin yes
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
