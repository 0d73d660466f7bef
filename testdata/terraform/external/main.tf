# Principals that exist in the account but are not declared here: what
# this configuration attaches to them is kept on external stubs.

variable "role_name" {
  type = string
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_role_policy" "existing" {
  role = "existing-role"
  name = "extra"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "existing_admin" {
  role       = "existing-role"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy_attachment" "cross" {
  name       = "cross"
  roles      = ["arn:aws:iam::210987654321:role/ops/deployer"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user_group_membership" "bob" {
  user   = "bob"
  groups = [aws_iam_group.devs.name, "legacy-admins"]
}

resource "aws_iam_access_key" "bob" {
  user = "bob"
}

resource "aws_iam_role_policy_attachment" "unknown" {
  role       = var.role_name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
