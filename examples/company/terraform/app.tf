# The app runs on EC2 and reads its data from S3.

resource "aws_iam_role" "app" {
  name        = "app"
  description = "The app's EC2 instances."

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}

resource "aws_iam_role_policy" "app_data" {
  name = "read-app-data"
  role = aws_iam_role.app.id

  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ListAppData",
          "Effect": "Allow",
          "Action": "s3:ListBucket",
          "Resource": "${local.app_bucket_arn}"
        },
        {
          "Sid": "ReadAppData",
          "Effect": "Allow",
          "Action": "s3:GetObject",
          "Resource": "${local.app_bucket_arn}/*"
        }
      ]
    }
  EOT
}
