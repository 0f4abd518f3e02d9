variable "name" {
  type        = string
  description = "Schedule name (the role is <name>-scheduler)."
}

variable "function_name" {
  type        = string
  description = "Name of the function to invoke."
}

variable "function_arn" {
  type        = string
  description = "ARN of the function to invoke."
}

variable "schedule_expression" {
  type        = string
  description = "rate(...) or cron(...)."
}

variable "tags" {
  type        = map(string)
  description = "Tags for the role."
  default     = {}
}
