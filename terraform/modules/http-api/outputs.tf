output "api_id" {
  description = "HTTP API id."
  value       = aws_apigatewayv2_api.this.id
}

output "endpoint_url" {
  description = "Base URL of the $default stage (no trailing slash)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "access_log_group_name" {
  description = "Access log group."
  value       = aws_cloudwatch_log_group.access.name
}
