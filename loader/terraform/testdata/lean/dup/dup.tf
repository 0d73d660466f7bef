resource "aws_iam_user" "d" {
  name = "one"
}
resource "aws_iam_user" "d" {
  name = aws_iam_user.other.name
}
resource "aws_iam_user" "other" {
  name = "other"
}
data "aws_iam_policy_document" "loop1" {
  source_policy_documents = [data.aws_iam_policy_document.loop2.json]
}
data "aws_iam_policy_document" "loop2" {
  source_policy_documents = [data.aws_iam_policy_document.loop1.json]
}
resource "aws_iam_policy" "lp" {
  name = "lp"
  policy = data.aws_iam_policy_document.loop1.json
}
