variable "dead_letter_queues" {
  type        = map(string)
  description = "Dead-letter queue names by key."
}

variable "functions" {
  type        = map(string)
  description = "Lambda function names by key."
}

variable "error_threshold" {
  type        = number
  description = "Alarm when a function's errors in one period exceed this."
  default     = 0
}

variable "error_period_seconds" {
  type        = number
  description = "Period of the Lambda error alarms."
  default     = 300
}

variable "alarm_actions" {
  type        = list(string)
  description = "ARNs notified on ALARM and OK (e.g. SNS topics)."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Tags for the alarms."
  default     = {}
}

variable "name_prefix" {
  type        = string
  description = "Prefix of the application alarm and dashboard names."
}

variable "region" {
  type        = string
  description = "Region shown on the dashboard widgets."
}

variable "push_failure_threshold" {
  type        = number
  description = "Alarm when webhook delivery failures in 5 minutes exceed this."
  default     = 10
}

variable "queue_wait_threshold_ms" {
  type        = number
  description = "Alarm when the average wait on the work queue in 5 minutes exceeds this (ms)."
  default     = 60000
}
