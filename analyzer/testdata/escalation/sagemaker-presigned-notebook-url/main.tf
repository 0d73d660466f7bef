# sagemaker:CreatePresignedNotebookInstanceUrl on a notebook that runs as an administrator role (Rhino 28).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.admin.arn
  instance_type = "ml.t3.medium"
}

# An administrator role that trusts sagemaker.amazonaws.com but runs nothing.
resource "aws_iam_role" "idle" {
  name = "idle"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "idle" {
  role       = aws_iam_role.idle.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: sagemaker-presigned-notebook-url (yes) → aws_iam_role.admin via aws_sagemaker_notebook_instance.nb
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sagemaker:CreatePresignedNotebookInstanceUrl", Resource = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb" },
    ]
  })
}

# Near miss: it may open the idle notebook, which does not exist.
resource "aws_iam_user" "wrong_resource" {
  name = "wrong-resource"
}

resource "aws_iam_user_policy" "wrong_resource" {
  user = aws_iam_user.wrong_resource.name
  name = "wrong-resource"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sagemaker:CreatePresignedNotebookInstanceUrl", Resource = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/idle" },
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
      { Effect = "Allow", Action = "sagemaker:CreatePresignedNotebookInstanceUrl", Resource = "*" },
      { Effect = "Deny", Action = "sagemaker:CreatePresignedNotebookInstanceUrl", Resource = "arn:aws:sagemaker:*:*:notebook-instance/*" },
    ]
  })
}
