variable "name" {
  type        = string
  description = "Secret name."
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key; null uses the aws/secretsmanager key."
  default     = null
}

variable "recovery_window_days" {
  type        = number
  description = "Days a deleted secret can be restored (0 deletes at once)."
  default     = 30
  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for the secret."
  default     = {}
}
