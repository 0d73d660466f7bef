resource "aws_lambda_function" "viewer" {
  function_name = "viewer"
  role          = "arn:aws:iam::111122223333:role/svc/edge"
}
