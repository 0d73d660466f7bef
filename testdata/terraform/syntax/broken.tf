resource "aws_iam_user" "broken" {
  name = "broken"
  tags = {
    team = "x"
}
