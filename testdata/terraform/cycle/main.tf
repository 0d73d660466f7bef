locals {
  a = "${local.b}-a"
  b = "${local.c}-b"
  c = local.a
}

resource "aws_iam_user" "u" {
  name = local.a
}

resource "aws_iam_role" "x" {
  name               = "x"
  assume_role_policy = aws_iam_role.y.assume_role_policy
}

resource "aws_iam_role" "y" {
  name               = "y"
  assume_role_policy = aws_iam_role.x.assume_role_policy
}

resource "aws_iam_user" "dangling" {
  name = local.missing
  path = aws_iam_group.nope.path
}
