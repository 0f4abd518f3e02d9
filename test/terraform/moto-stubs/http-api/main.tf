# Stands in for terraform/modules/http-api when terraform/ is applied to moto, whose API Gateway
# backends do not load on these machines (moto's apigateway needs openapi_spec_validator). Same
# inputs and outputs; it creates nothing. Used only by test/terraform/moto-apply.test.ts.
variable "name" {
  type = string
}

variable "gateway_function_name" {
  type = string
}

variable "gateway_invoke_arn" {
  type = string
}

variable "authorizer_function_name" {
  type = string
}

variable "authorizer_invoke_arn" {
  type = string
}

variable "authorizer_cache_ttl_seconds" {
  type = number
}

variable "throttling_burst_limit" {
  type = number
}

variable "throttling_rate_limit" {
  type = number
}

variable "log_retention_days" {
  type = number
}

output "api_id" {
  value = "moto-stub"
}

output "endpoint_url" {
  value = "https://moto-stub.execute-api.us-east-1.amazonaws.com"
}

output "access_log_group_name" {
  value = "/aws/apigateway/${var.name}"
}
