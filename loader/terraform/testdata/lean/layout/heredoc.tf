resource "aws_iam_policy" "h" {
  name = "h"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${aws_iam_user.crlf.name}/}"}]
    }
  EOT
}
resource "aws_iam_user_policy" "inl" { 
  user = aws_iam_user.indented.name
  policy = file("${path.module}/p.json")
}
