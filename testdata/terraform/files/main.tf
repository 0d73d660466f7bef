resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("${path.module}/policies/read.json")
}

resource "aws_iam_policy" "from_template" {
  name = "from-template"
  policy = templatefile("${path.module}/policies/bucket.json.tpl", {
    bucket  = "invoices"
    actions = ["s3:GetObject", "s3:PutObject"]
  })
}

resource "aws_iam_policy" "escape" {
  name   = "escape"
  policy = file("/etc/passwd")
}

resource "aws_iam_policy" "escape_relative" {
  name   = "escape-relative"
  policy = file("../../../go.mod")
}
