output "admin_user_arns" {
  description = "The admins' users, by name."
  value       = module.admins.user_arns
}

output "developer_user_arns" {
  description = "The developers' users, by name."
  value       = module.developers.user_arns
}

output "ci_deploy_role_arn" {
  description = "Set as role-to-assume in the app's deploy workflow."
  value       = aws_iam_role.ci_deploy.arn
}

output "auditor_role_arn" {
  description = "Given to the auditing firm, with the external ID."
  value       = one(aws_iam_role.auditor[*].arn)
}
