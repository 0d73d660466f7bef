output "group_name" {
  description = "The team's group."
  value       = aws_iam_group.this.name
}

output "user_arns" {
  description = "The team's users' ARNs, by user name."
  value       = { for name, user in aws_iam_user.member : name => user.arn }
}
