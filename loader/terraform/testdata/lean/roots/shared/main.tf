variable "n" {}
resource "aws_iam_role" "sr" {
  name = "sr-${var.n}"
  assume_role_policy = data.aws_iam_policy_document.t.json
}
data "aws_iam_policy_document" "t" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "AWS"
      identifiers = ["*"]
    }
  }
}
