variable "name" {
  type = string
}

variable "actions" {
  type = list(string)
}

module "boundary" {
  source = "../boundary"
  prefix = var.name
}

resource "aws_iam_role" "deploy" {
  for_each             = toset(["prod", "staging"])
  name                 = "${var.name}-${each.key}"
  permissions_boundary = module.boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  for_each = aws_iam_role.deploy
  role     = each.value.name
  name     = "deploy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}

output "role_arn" {
  value = aws_iam_role.deploy["prod"].arn
}
