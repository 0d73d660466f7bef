# After a refactor that changes no access: the log statement moved to the
# developers group, the table statement to a policy document of its own,
# and the file reformatted.

resource "aws_iam_user" "dev" { name = "dev" }

resource "aws_iam_group" "developers" { name = "developers" }

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.developers.name]
}

resource "aws_iam_group_policy" "logs" {
  name  = "logs"
  group = aws_iam_group.developers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = "ReadLogs", Effect = "Allow", Action = ["logs:FilterLogEvents", "logs:GetLogEvents"], Resource = "arn:aws:logs:eu-west-1:111122223333:log-group:app:*" }]
  })
}

data "aws_iam_policy_document" "table" {
  statement {
    sid       = "ReadTable"
    actions   = ["dynamodb:Query", "dynamodb:GetItem"]
    resources = ["arn:aws:dynamodb:eu-west-1:111122223333:table/app"]
  }
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = data.aws_iam_policy_document.table.json
}
