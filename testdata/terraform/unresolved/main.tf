data "aws_iam_role" "existing" {
  name = "legacy-admin"
}

data "aws_kms_key" "app" {
  key_id = "alias/app"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_iam_policy" "p" {
  name = "uses-lookups"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = data.aws_kms_key.app.arn
      },
      {
        Effect   = "Allow"
        Action   = ["iam:PassRole"]
        Resource = [data.aws_iam_role.existing.arn, "arn:aws:iam::111122223333:role/${data.aws_iam_role.existing.name}"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${aws_s3_bucket.data.arn}/*", "arn:aws:s3:::${aws_s3_bucket.data.id}-${timestamp()}"]
        Condition = {
          StringEquals = { "aws:SourceVpce" = var.vpce }
        }
      },
    ]
  })
}

variable "vpce" {
  type = list(string)
}

resource "aws_iam_role" "named_later" {
  name_prefix        = "worker-"
  assume_role_policy = var.trust_json
}

variable "trust_json" {
  type = string
}
