# iam:PutRolePolicy on the role itself (Rhino 12).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "builder" {
  name = "builder"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: iam-put-role-policy (yes) → aws_iam_role.builder
}

resource "aws_iam_role_policy" "builder" {
  role = aws_iam_role.builder.name
  name = "self-put"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "arn:aws:iam::111122223333:role/build*" }]
  })
}

# Near miss: it may write the policies of a role it has no way to become.
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "deployer" {
  role = aws_iam_role.deployer.name
  name = "put-on-target"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = aws_iam_role.target.arn }]
  })
}

resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# Near miss: the boundary caps it at S3, and it may not delete the boundary.
resource "aws_iam_role" "bounded" {
  name                 = "bounded"
  permissions_boundary = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "bounded" {
  role = aws_iam_role.bounded.name
  name = "self-put"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = aws_iam_role.bounded.arn }]
  })
}
