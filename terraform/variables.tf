# ---- deployment -------------------------------------------------------------------------------

variable "region" {
  type        = string
  description = "AWS region to deploy into."
  default     = "us-east-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like us-east-1."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (table, queues, functions, API)."
  default     = "a2a-gateway"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-24 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "dist_dir" {
  type        = string
  description = "Folder with manifest.json and the zips from npm run build; null means ../dist next to this module."
  default     = null
  validation {
    condition     = fileexists("${coalesce(var.dist_dir, abspath("${path.root}/../dist"))}/manifest.json")
    error_message = "No build found: ${coalesce(var.dist_dir, abspath("${path.root}/../dist"))}/manifest.json is missing. Run `npm run build` first (it writes dist/manifest.json and the zips), then plan again."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource."
  default     = {}
}

# ---- functions ------------------------------------------------------------------------------

# The defaults are deploy/lambda-entries.ts's memoryMb, carried by dist/manifest.json. The gateway's
# 512 MB comes from a measured profile (npm run bench, section 4: peak RSS of the bundled handler
# ~210 MB under SendMessage, GetTask and 4 MB ListTasks pages): a blocking SendMessage holds the
# function while it waits, billed by the GB-second, so it costs half what it did at 1024 MB. Lambda
# gives CPU in proportion to memory: { gateway = 1024 } here halves the CPU-bound part of a request
# (signing, marshalling, a large page's JSON) at twice the price of every second held.
variable "function_memory_mb" {
  type        = map(number)
  description = "Memory per function name, overriding deploy/lambda-entries.ts (e.g. { agent-worker = 2048 })."
  default     = {}
  validation {
    condition     = alltrue([for v in values(var.function_memory_mb) : v >= 128 && v <= 10240])
    error_message = "function_memory_mb values must be between 128 and 10240."
  }
}

variable "function_timeout_seconds" {
  type        = map(number)
  description = "Timeout per function name, overriding deploy/lambda-entries.ts."
  default     = {}
  validation {
    condition     = alltrue([for v in values(var.function_timeout_seconds) : v >= 1 && v <= 900])
    error_message = "function_timeout_seconds values must be between 1 and 900."
  }
}

variable "lambda_architecture" {
  type        = string
  description = "arm64 (cheaper) or x86_64."
  default     = "arm64"
  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "tracing_enabled" {
  type        = bool
  description = "X-Ray active tracing on every function."
  default     = false
}

variable "log_level" {
  type        = string
  description = "pino log level of every function."
  default     = "info"
  validation {
    condition     = contains(["fatal", "error", "warn", "info", "debug", "trace", "silent"], var.log_level)
    error_message = "log_level must be one of fatal, error, warn, info, debug, trace, silent."
  }
}

variable "log_retention_days" {
  type        = number
  description = "CloudWatch Logs retention of the function and access logs."
  default     = 30
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# ---- data protection and alarms -------------------------------------------------------------

variable "table_point_in_time_recovery" {
  type        = bool
  description = "PITR on the table."
  default     = true
}

variable "table_deletion_protection" {
  type        = bool
  description = "Deletion protection on the table (set false, apply, then destroy to tear down)."
  default     = true
}

variable "table_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for the table; null uses the AWS owned key."
  default     = null
  validation {
    condition     = var.table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.table_kms_key_arn))
    error_message = "table_kms_key_arn must be a KMS key ARN."
  }
}

variable "signing_key_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for the signing-key secret; null uses aws/secretsmanager."
  default     = null
  validation {
    condition     = var.signing_key_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.signing_key_kms_key_arn))
    error_message = "signing_key_kms_key_arn must be a KMS key ARN."
  }
}

variable "signing_key_recovery_window_days" {
  type        = number
  description = "Days a deleted signing-key secret can be restored (0 deletes at once)."
  default     = 30
}

variable "alarm_actions" {
  type        = list(string)
  description = "ARNs (e.g. SNS topics) notified when an alarm changes state."
  default     = []
  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:", a))])
    error_message = "alarm_actions must be ARNs."
  }
}

variable "lambda_error_alarm_threshold" {
  type        = number
  description = "Alarm when a function's errors in 5 minutes exceed this."
  default     = 0
}
