# glue:UpdateDevEndpoint (an SSH key of one's own) on an endpoint that runs as an administrator role (Rhino 20).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "glue.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_glue_dev_endpoint" "ep" {
  name     = "ep"
  role_arn = aws_iam_role.admin.arn
}

# An administrator role that trusts glue.amazonaws.com but runs nothing.
resource "aws_iam_role" "idle" {
  name = "idle"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "glue.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "idle" {
  role       = aws_iam_role.idle.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: glue-update-dev-endpoint (yes) → aws_iam_role.admin via aws_glue_dev_endpoint.ep
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "glue:UpdateDevEndpoint", Resource = "arn:aws:glue:us-east-1:111122223333:devEndpoint/ep" },
    ]
  })
}

# Near miss: it may update the idle endpoint, which does not exist.
resource "aws_iam_user" "wrong_resource" {
  name = "wrong-resource"
}

resource "aws_iam_user_policy" "wrong_resource" {
  user = aws_iam_user.wrong_resource.name
  name = "wrong-resource"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "glue:UpdateDevEndpoint", Resource = "arn:aws:glue:us-east-1:111122223333:devEndpoint/idle" },
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
      { Effect = "Allow", Action = "glue:UpdateDevEndpoint", Resource = "*" },
      { Effect = "Deny", Action = "glue:UpdateDevEndpoint", Resource = "arn:aws:glue:*:*:devEndpoint/*" },
    ]
  })
}
