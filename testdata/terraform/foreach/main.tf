locals {
  users = {
    alice = { path = "/eng/", groups = ["dev"] }
    bob   = { path = "/ops/", groups = ["dev", "ops"] }
  }
  groups = toset(["dev", "ops"])
}

resource "aws_iam_user" "u" {
  for_each = local.users
  name     = each.key
  path     = each.value.path
}

resource "aws_iam_group" "g" {
  for_each = local.groups
  name     = each.value
}

resource "aws_iam_user_group_membership" "m" {
  for_each = local.users
  user     = aws_iam_user.u[each.key].name
  groups   = [for g in each.value.groups : aws_iam_group.g[g].name]
}

resource "aws_iam_group_policy" "g" {
  for_each = aws_iam_group.g
  group    = each.value.name
  name     = "${each.key}-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "${each.key}:*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_access_key" "k" {
  for_each = aws_iam_user.u
  user     = each.value.name
  status   = each.key == "bob" ? "Inactive" : "Active"
}
