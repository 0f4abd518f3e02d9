variable "function_name" {
  type        = string
  description = "Lambda function name (also the role and log group name)."
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "description" {
  type        = string
  description = "Function description."
  default     = ""
}

variable "zip_path" {
  type        = string
  description = "Path of the deployment zip written by npm run build."
}

variable "handler" {
  type        = string
  description = "Handler, e.g. index.handler."
}

variable "runtime" {
  type        = string
  description = "Lambda runtime."
  default     = "nodejs22.x"
}

variable "architecture" {
  type        = string
  description = "arm64 or x86_64 (the bundle is plain JavaScript, so either works)."
  default     = "arm64"
  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_mb" {
  type        = number
  description = "Memory size in MB (CPU scales with it)."
  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Function timeout in seconds."
  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrent executions; null leaves the function unreserved."
  default     = null
}

variable "environment" {
  type        = map(string)
  description = "Environment variables (the function's env contract)."
  default     = {}
}

variable "statements" {
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  description = "The IAM statements for what the function's code calls (from the build manifest's grants)."
  default     = []
}

variable "sqs_trigger" {
  type = object({
    queue_arn               = string
    batch_size              = number
    batching_window_seconds = number
    maximum_concurrency     = optional(number)
  })
  description = "SQS event source mapping, or null for functions without one."
  default     = null
}

variable "tracing_enabled" {
  type        = bool
  description = "X-Ray active tracing."
  default     = false
}

variable "log_retention_days" {
  type        = number
  description = "CloudWatch Logs retention in days."
}

variable "log_kms_key_arn" {
  type        = string
  description = "KMS key for the log group; null uses CloudWatch Logs' own encryption."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource of the function."
  default     = {}
}
