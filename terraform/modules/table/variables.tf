variable "name" {
  type        = string
  description = "Table name."
}

variable "point_in_time_recovery" {
  type        = bool
  description = "Continuous backups (PITR, 35 days)."
  default     = true
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse DeleteTable (turn off before terraform destroy)."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for encryption at rest; null uses the AWS owned key."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags for the table."
  default     = {}
}
