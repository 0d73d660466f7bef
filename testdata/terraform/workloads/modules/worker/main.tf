variable "name" {
  type = string
}

resource "aws_iam_role" "this" {
  name = "worker-${var.name}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_ecs_task_definition" "this" {
  family                = "worker-${var.name}"
  task_role_arn         = aws_iam_role.this.arn
  container_definitions = "[]"
}
