resource "aws_iam_user" "ok" {
  name = "ok"
}
resource "aws_iam_user_policy_attachment" "x" {
  user = aws_iam_user.gone.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
