variable "prefix" {
  type = string
}

resource "aws_iam_policy" "boundary" {
  name   = "${var.prefix}-boundary"
  policy = file("${path.module}/boundary.json")
}

output "arn" {
  value = aws_iam_policy.boundary.arn
}
