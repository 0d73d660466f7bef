# ssm:SendCommand (AWS-RunShellScript) on an instance whose profile holds an administrator role (iam-vulnerable's SSM SendCommand path).

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
  # want escalation admin=yes: ssm-send-command (yes) → aws_iam_role.admin via aws_instance.web
  # want step 1: ssm:SendCommand arn:aws:ec2:us-east-1:111122223333:instance/${aws_instance.web.id} (yes)
  # want step 1: ssm:SendCommand arn:aws:ssm:us-east-1::document/AWS-RunShellScript (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ssm:SendCommand", Resource = ["arn:aws:ec2:us-east-1:111122223333:instance/*", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"] },
    ]
  })
}

# Near miss: it may send commands to instances in eu-west-1 only; the instance is in us-east-1.
resource "aws_iam_user" "wrong_resource" {
  name = "wrong-resource"
}

resource "aws_iam_user_policy" "wrong_resource" {
  user = aws_iam_user.wrong_resource.name
  name = "wrong-resource"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ssm:SendCommand", Resource = ["arn:aws:ec2:eu-west-1:111122223333:instance/*", "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript"] },
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
      { Effect = "Allow", Action = "ssm:SendCommand", Resource = "*" },
      { Effect = "Deny", Action = "ssm:SendCommand", Resource = "arn:aws:ec2:*:*:instance/*" },
    ]
  })
}

# Near miss: on every instance, but only with a document that runs no
# command of its choosing.
resource "aws_iam_user" "patch_only" {
  name = "patch-only"
}

resource "aws_iam_user_policy" "patch_only" {
  user = aws_iam_user.patch_only.name
  name = "patch-only"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ssm:SendCommand", Resource = ["arn:aws:ec2:*:111122223333:instance/*", "arn:aws:ssm:*::document/AWS-RunPatchBaseline"] },
    ]
  })
}
