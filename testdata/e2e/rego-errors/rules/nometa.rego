package iamlint.rules.no_metadata

findings contains {"msg": "x", "node": "aws_iam_role.batch"}
