data "aws_iam_policy_document" "ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "batch" {
  name                 = "batch"
  assume_role_policy   = data.aws_iam_policy_document.ec2.json
  max_session_duration = 43200
  tags                 = { owner = "data" }
}

# iamlint:ignore IAM952 the nightly export runs for ten hours
resource "aws_iam_role" "export" {
  name                 = "export"
  assume_role_policy   = data.aws_iam_policy_document.ec2.json
  max_session_duration = 36000
}
