resource "aws_iam_user" "gone" {
  name = "gone"
}
resource "aws_iam_user" "broken" {
  name = 
}
