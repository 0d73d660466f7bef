# iam:AddUserToGroup onto a group whose policies grant everything (Rhino 13).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_group_policy_attachment" "readers" {
  group      = aws_iam_group.readers.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-add-user-to-group (yes) → aws_iam_user.attacker via aws_iam_group.admins
  # want step 1: iam:AddUserToGroup arn:aws:iam::111122223333:group/admins (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "join-any-group"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AddUserToGroup", Resource = "*" }]
  })
}

# Near miss: it may only join readers.
resource "aws_iam_user" "reader" {
  name = "reader"
}

resource "aws_iam_user_policy" "reader" {
  user = aws_iam_user.reader.name
  name = "join-readers"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AddUserToGroup", Resource = aws_iam_group.readers.arn }]
  })
}
