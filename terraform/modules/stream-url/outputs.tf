output "url" {
  description = "Base URL of the function URL, without the trailing slash."
  value       = trimsuffix(aws_lambda_function_url.this.function_url, "/")
}

output "invoke_via_url_stack_name" {
  description = "CloudFormation stack holding the InvokeFunction statement conditioned on InvokedViaFunctionUrl."
  value       = aws_cloudformation_stack.invoke_via_url.name
}
