variable "name" {
  type        = string
  description = "Queue name; the DLQ is <name>-dlq."
}

variable "max_receive_count" {
  type        = number
  description = "Receives before a message moves to the DLQ."
  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "visibility_timeout_seconds" {
  type        = number
  description = "Visibility timeout; null means 6 x consumer_timeout_seconds + consumer_batching_window_seconds (at least 30)."
  default     = null
  validation {
    condition     = var.visibility_timeout_seconds == null || try(var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200, false)
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "consumer_timeout_seconds" {
  type        = number
  description = "Timeout of the Lambda that consumes the queue (0 when none does yet)."
}

variable "dlq_consumer_timeout_seconds" {
  type        = number
  description = "Timeout of the Lambda that consumes the dead-letter queue (0 when none does)."
  default     = 0
}

variable "consumer_batching_window_seconds" {
  type        = number
  description = "MaximumBatchingWindowInSeconds of the consumer's event source mapping."
  default     = 0
}

variable "message_retention_seconds" {
  type        = number
  description = "How long an unconsumed message is kept."
  default     = 345600
}

variable "dlq_retention_seconds" {
  type        = number
  description = "How long a dead letter is kept (the maximum, 14 days, by default)."
  default     = 1209600
}

variable "tags" {
  type        = map(string)
  description = "Tags for both queues."
  default     = {}
}
