# The same configuration later: reformatted, its two resources swapped,
# its statements reordered; sqs:ReceiveMessage was dropped (its baselined
# finding is stale) and a statement granting iam:PassRole on "*" added (a
# new finding).

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  name = "app"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Queues", Effect = "Allow", Action = ["sqs:SendMessage"], Resource = "*" },
      { Sid = "PassRoles", Effect = "Allow", Action = "iam:PassRole", Resource = "*" },
      { Sid = "Buckets", Effect = "Allow", Action = "s3:*", Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
