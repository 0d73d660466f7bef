locals {
  bucket = "logs"
}

resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user_policy" "plain" {
  name   = "plain"
  user   = aws_iam_user.ops.name
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::${local.bucket}/home/$${aws:username}/*"
    }
  ]
}
EOF
}

resource "aws_iam_user_policy" "flush" {
  name   = "flush"
  user   = aws_iam_user.ops.name
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": {
        "Effect": "Deny",
        "Action": "iam:*",
        "Resource": "${var.boundary_arn}"
      }
    }
  JSON
}

resource "aws_iam_user_policy" "quoted" {
  name   = "quoted"
  user   = aws_iam_user.ops.name
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}]}"
}

variable "boundary_arn" {
  type = string
}
