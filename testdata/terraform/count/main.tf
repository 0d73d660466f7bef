variable "teams" {
  default = ["red", "blue"]
}

resource "aws_iam_role" "team" {
  count              = length(var.teams)
  name               = "team-${var.teams[count.index]}"
  assume_role_policy = data.aws_iam_policy_document.trust[count.index].json
}

data "aws_iam_policy_document" "trust" {
  count = 2
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::11112222333${count.index}:root"]
    }
  }
}

resource "aws_iam_policy" "assume_red" {
  name = "assume-red"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = aws_iam_role.team[0].arn
    }]
  })
}

resource "aws_iam_role_policy_attachment" "team" {
  count      = 2
  role       = aws_iam_role.team[count.index].name
  policy_arn = aws_iam_policy.assume_red.arn
}

resource "aws_iam_user" "maybe" {
  count = var.enabled ? 1 : 0
  name  = "maybe"
}

resource "aws_iam_user" "never" {
  count = 0
  name  = "never"
}

variable "enabled" {
  type = bool
}
