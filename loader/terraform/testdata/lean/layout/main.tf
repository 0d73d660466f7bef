resource "aws_iam_user" "crlf" {
  name = "crlf"
  tags = {
    a = "b"
  }
}

  resource "aws_iam_user" "indented" {
    name = "ind"
  }
