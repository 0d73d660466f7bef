variable "team" {
  type = string
}

variable "members" {
  type = set(string)
}

resource "aws_iam_group" "this" {
  name = var.team
}

resource "aws_iam_user" "member" {
  for_each = var.members
  name     = each.value
}

resource "aws_iam_group_membership" "this" {
  name  = "${var.team}-members"
  group = aws_iam_group.this.name
  users = [for u in aws_iam_user.member : u.name]
}

output "group_name" {
  value = aws_iam_group.this.name
}
