# A team: one group, its people as IAM users, and the managed policies the
# group has. Membership is managed here exclusively, so a user added to the
# group by hand is removed on the next apply.

resource "aws_iam_group" "this" {
  name = var.name
}

resource "aws_iam_user" "member" {
  for_each = var.members

  name = each.key
  path = var.user_path
  tags = {
    team = var.name
  }
}

resource "aws_iam_group_membership" "this" {
  name  = "${var.name}-members"
  group = aws_iam_group.this.name
  users = [for user in aws_iam_user.member : user.name]
}

resource "aws_iam_group_policy_attachment" "this" {
  for_each = var.policy_arns

  group      = aws_iam_group.this.name
  policy_arn = each.value
}

resource "aws_iam_user_login_profile" "console" {
  for_each = { for name, member in var.members : name => member if member.console }

  user                    = aws_iam_user.member[each.key].name
  password_reset_required = true

  lifecycle {
    ignore_changes = [password_reset_required]
  }
}

resource "aws_iam_access_key" "cli" {
  for_each = { for name, member in var.members : name => member if member.access_key }

  user = aws_iam_user.member[each.key].name
}
