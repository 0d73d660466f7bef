resource "aws_iam_policy" "bad" {
  name   = "bad"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject" "Resource": "*"}
      ]
    }
  EOF
}

resource "aws_iam_policy" "invalid" {
  name   = "invalid"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "allow", "Action": [], "Resource": "*"}]
}
EOF
}

resource "aws_iam_policy" "notjson" {
  name   = "notjson"
  policy = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
