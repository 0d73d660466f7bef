variable "suffix" {}
variable "doc" {}

resource "aws_iam_role" "mr" {
  name = "mr-${var.suffix}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "mp" {
  role   = aws_iam_role.mr.id
  policy = var.doc
}

data "aws_iam_policy_document" "inner" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_iam_role.mr.arn]
  }
}

resource "aws_iam_role_policy" "mp2" {
  role   = aws_iam_role.mr.name
  policy = data.aws_iam_policy_document.inner.json
}

output "role_name" {
  value = aws_iam_role.mr.name
}
