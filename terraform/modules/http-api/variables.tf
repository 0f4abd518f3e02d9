variable "name" {
  type        = string
  description = "API name."
}

variable "gateway_function_name" {
  type        = string
  description = "Name of the gateway Lambda (every route's integration)."
}

variable "gateway_invoke_arn" {
  type        = string
  description = "Invoke ARN of the gateway Lambda."
}

variable "authorizer_function_name" {
  type        = string
  description = "Name of the authorizer Lambda."
}

variable "authorizer_invoke_arn" {
  type        = string
  description = "Invoke ARN of the authorizer Lambda."
}

variable "authorizer_cache_ttl_seconds" {
  type        = number
  description = "How long API Gateway caches an authorizer answer per Authorization header (0 disables)."
  default     = 300
  validation {
    condition     = var.authorizer_cache_ttl_seconds >= 0 && var.authorizer_cache_ttl_seconds <= 3600
    error_message = "authorizer_cache_ttl_seconds must be between 0 and 3600."
  }
}

variable "integration_timeout_ms" {
  type        = number
  description = "Integration timeout (HTTP APIs allow at most 30 s)."
  default     = 30000
  validation {
    condition     = var.integration_timeout_ms >= 50 && var.integration_timeout_ms <= 30000
    error_message = "integration_timeout_ms must be between 50 and 30000."
  }
}

variable "throttling_burst_limit" {
  type        = number
  description = "Stage-wide burst limit (requests)."
  default     = 500
}

variable "throttling_rate_limit" {
  type        = number
  description = "Stage-wide steady rate limit (requests per second)."
  default     = 1000
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the access log group."
}

variable "tags" {
  type        = map(string)
  description = "Tags for the API resources."
  default     = {}
}
