# codebuild:StartBuild (with a buildspec override) on a project that runs as an administrator role.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_codebuild_project" "build" {
  name         = "build"
  service_role = aws_iam_role.admin.arn
}

# An administrator role that trusts codebuild.amazonaws.com but runs nothing.
resource "aws_iam_role" "idle" {
  name = "idle"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "idle" {
  role       = aws_iam_role.idle.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: codebuild-start-build (yes) → aws_iam_role.admin via aws_codebuild_project.build
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "codebuild:StartBuild", Resource = "arn:aws:codebuild:us-east-1:111122223333:project/build" },
    ]
  })
}

# Near miss: it may start builds of the idle project, which does not exist.
resource "aws_iam_user" "wrong_resource" {
  name = "wrong-resource"
}

resource "aws_iam_user_policy" "wrong_resource" {
  user = aws_iam_user.wrong_resource.name
  name = "wrong-resource"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "codebuild:StartBuild", Resource = "arn:aws:codebuild:us-east-1:111122223333:project/idle" },
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
      { Effect = "Allow", Action = "codebuild:StartBuild", Resource = "*" },
      { Effect = "Deny", Action = "codebuild:StartBuild", Resource = "arn:aws:codebuild:*:*:project/build" },
    ]
  })
}

# codebuild:StartBuildBatch does as well as codebuild:StartBuild.
resource "aws_iam_user" "batch" {
  name = "batch"
  # want escalation admin=yes: codebuild-start-build (yes) → aws_iam_role.admin via aws_codebuild_project.build
  # want step 1: codebuild:StartBuildBatch arn:aws:codebuild:us-east-1:111122223333:project/build (yes)
}

resource "aws_iam_user_policy" "batch" {
  user = aws_iam_user.batch.name
  name = "batch"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "codebuild:StartBuildBatch", Resource = "arn:aws:codebuild:us-east-1:111122223333:project/*" }]
  })
}
