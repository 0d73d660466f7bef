# ssm:StartSession on an instance whose profile holds an administrator role (iam-vulnerable's SSM StartSession path).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "web" {
  name = "web"
  role = aws_iam_role.admin.name
}

resource "aws_instance" "web" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.web.name
}

# An administrator role that trusts ec2.amazonaws.com but runs nothing.
resource "aws_iam_role" "idle" {
  name = "idle"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "idle" {
  role       = aws_iam_role.idle.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: ssm-start-session (yes) → aws_iam_role.admin via aws_instance.web
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ssm:StartSession", Resource = "arn:aws:ec2:us-east-1:111122223333:instance/*" },
    ]
  })
}

# Near miss: it may open sessions on instances in eu-west-1 only; the instance is in us-east-1.
resource "aws_iam_user" "wrong_resource" {
  name = "wrong-resource"
}

resource "aws_iam_user_policy" "wrong_resource" {
  user = aws_iam_user.wrong_resource.name
  name = "wrong-resource"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ssm:StartSession", Resource = "arn:aws:ec2:eu-west-1:111122223333:instance/*" },
    ]
  })
}

# Near miss: allowed everywhere, but a deny covers the workload.
resource "aws_iam_user" "denied" {
  name = "denied"
}

resource "aws_iam_user_policy" "denied" {
  user = aws_iam_user.denied.name
  name = "denied"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ssm:StartSession", Resource = "*" },
      { Effect = "Deny", Action = "ssm:StartSession", Resource = "arn:aws:ec2:*:*:instance/*" },
    ]
  })
}
