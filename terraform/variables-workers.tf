# ---- tasks and workers ----------------------------------------------------------------------

variable "retention_days" {
  type        = number
  description = "Days a finished task (and its events) is kept before the table's TTL removes it."
  default     = 7
  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3650
    error_message = "retention_days must be between 1 and 3650."
  }
}

variable "lease_seconds" {
  type        = number
  description = "Lease a worker holds on a task it runs (renewed by heartbeats)."
  default     = 120
  validation {
    condition     = var.lease_seconds >= 10 && var.lease_seconds <= 900
    error_message = "lease_seconds must be between 10 and 900."
  }
}

variable "heartbeat_ms" {
  type        = number
  description = "Interval of the worker's lease heartbeat."
  default     = 2000
  validation {
    condition     = var.heartbeat_ms >= 100 && var.heartbeat_ms <= 60000 && var.heartbeat_ms < var.lease_seconds * 1000
    error_message = "heartbeat_ms must be between 100 and 60000 and shorter than the lease."
  }
}

variable "resubscribe_wait_ms" {
  type        = number
  description = "Wait of the conformance agent's resubscribe scenario."
  default     = 10000
  validation {
    condition     = var.resubscribe_wait_ms >= 0 && var.resubscribe_wait_ms <= 600000
    error_message = "resubscribe_wait_ms must be between 0 and 600000."
  }
}

variable "checkpoint_ttl_days" {
  type        = number
  description = "Days a LangGraph checkpoint is kept after it is written (covers tasks waiting for input)."
  default     = 30
  validation {
    condition     = var.checkpoint_ttl_days >= 1 && var.checkpoint_ttl_days <= 3650
    error_message = "checkpoint_ttl_days must be between 1 and 3650."
  }
}

variable "model_provider" {
  type        = string
  description = "Model of the currency agent: bedrock (needs model access in the account) or local (the offline deterministic model)."
  default     = "bedrock"
  validation {
    condition     = contains(["bedrock", "local"], var.model_provider)
    error_message = "model_provider must be bedrock or local."
  }
}

variable "rates_api_url" {
  type        = string
  description = "Exchange-rate API of the currency agent (Frankfurter shape); null uses the built-in fixture rates."
  default     = "https://api.frankfurter.app"
  validation {
    condition     = var.rates_api_url == null || can(regex("^https://[^\\s]+$", var.rates_api_url))
    error_message = "rates_api_url must be an https URL."
  }
}

variable "push_delivery" {
  type = object({
    timeout_ms           = optional(number, 10000)
    suspend_after        = optional(number, 5)
    backoff_base_seconds = optional(number, 2)
    backoff_max_seconds  = optional(number, 600)
  })
  description = "Webhook delivery: per-attempt timeout, consecutive failures before a config is suspended, retry backoff."
  default     = {}
  validation {
    condition = (var.push_delivery.timeout_ms >= 1000 && var.push_delivery.timeout_ms <= 30000 &&
      var.push_delivery.suspend_after >= 1 && var.push_delivery.suspend_after <= 1000 &&
      var.push_delivery.backoff_base_seconds >= 1 && var.push_delivery.backoff_base_seconds <= 900 &&
    var.push_delivery.backoff_max_seconds >= var.push_delivery.backoff_base_seconds && var.push_delivery.backoff_max_seconds <= 43200)
    error_message = "push_delivery: timeout_ms 1000-30000, suspend_after 1-1000, backoff_base_seconds 1-900, backoff_max_seconds from the base to 43200."
  }
}

variable "streaming" {
  type = object({
    enabled              = optional(bool, true)
    url                  = optional(string)
    heartbeat_ms         = optional(number, 15000)
    max_per_process      = optional(number, 1000)
    max_per_tenant       = optional(number, 100)
    max_duration_ms      = optional(number, 840000)
    direct_reply_wait_ms = optional(number, 1500)
  })
  description = "SSE streaming: enabled deploys the streaming function behind a public function URL (false: none, and the cards say streaming: false unless url is set); url, a domain of yours in front of it (advertised in the cards instead of the function URL); the stream limits."
  default     = {}
  validation {
    condition = ((var.streaming.url == null || can(regex("^https://[^\\s]+$", coalesce(var.streaming.url, "x")))) &&
      var.streaming.heartbeat_ms >= 1000 && var.streaming.heartbeat_ms <= 120000 &&
      var.streaming.max_per_process >= 1 && var.streaming.max_per_process <= 100000 &&
      var.streaming.max_per_tenant >= 1 && var.streaming.max_per_tenant <= 100000 &&
      var.streaming.max_duration_ms >= 0 && var.streaming.max_duration_ms <= 890000 &&
    var.streaming.direct_reply_wait_ms >= 0 && var.streaming.direct_reply_wait_ms <= 10000)
    error_message = "streaming: url https; heartbeat_ms 1000-120000; max_per_process and max_per_tenant 1-100000; max_duration_ms 0-890000; direct_reply_wait_ms 0-10000."
  }
}

variable "reconciler" {
  type = object({
    max_items       = optional(number, 100)
    backoff_seconds = optional(number, 300)
  })
  description = "Reconciler: tasks examined per run, and how long after re-enqueueing a task it looks at it again."
  default     = {}
  validation {
    condition     = var.reconciler.max_items >= 1 && var.reconciler.max_items <= 1000 && var.reconciler.backoff_seconds >= 10 && var.reconciler.backoff_seconds <= 86400
    error_message = "reconciler: max_items 1-1000, backoff_seconds 10-86400."
  }
}

variable "bedrock_model_id" {
  type        = string
  description = "Bedrock foundation model of the currency agent (BEDROCK_MODEL_ID; the bedrock-model grant target). An on-demand model id; cross-region inference profiles (us., eu., ...) need a grant on the profile too and are not supported yet."
  default     = "amazon.nova-lite-v1:0"
  validation {
    condition     = can(regex("^[a-z0-9-]+\\.[A-Za-z0-9._:-]+$", var.bedrock_model_id)) && !can(regex("^(us|eu|apac|global|us-gov|jp|au|ca)\\.", var.bedrock_model_id))
    error_message = "bedrock_model_id must be an on-demand model id such as amazon.nova-lite-v1:0 (not an inference profile)."
  }
}

variable "work_queue_max_receive_count" {
  type        = number
  description = "Deliveries of a work message before it moves to the work DLQ."
  default     = 5
  validation {
    condition     = var.work_queue_max_receive_count >= 1 && var.work_queue_max_receive_count <= 1000
    error_message = "work_queue_max_receive_count must be between 1 and 1000."
  }
}

variable "push_queue_max_receive_count" {
  type        = number
  description = "Deliveries of a push message before it moves to the push DLQ."
  default     = 8
  validation {
    condition     = var.push_queue_max_receive_count >= 1 && var.push_queue_max_receive_count <= 1000
    error_message = "push_queue_max_receive_count must be between 1 and 1000."
  }
}

variable "work_queue_visibility_timeout_seconds" {
  type        = number
  description = "Work queue visibility timeout; null means 6 x the consumer's timeout + batching window (the minimum allowed)."
  default     = null
}

variable "push_queue_visibility_timeout_seconds" {
  type        = number
  description = "Push queue visibility timeout; null means 6 x the consumer's timeout + batching window (the minimum allowed)."
  default     = null
}

variable "sqs_batching_window_seconds" {
  type        = number
  description = "MaximumBatchingWindowInSeconds of every SQS event source mapping."
  default     = 0
  validation {
    condition     = var.sqs_batching_window_seconds >= 0 && var.sqs_batching_window_seconds <= 300
    error_message = "sqs_batching_window_seconds must be between 0 and 300."
  }
}

variable "sqs_maximum_concurrency" {
  type        = number
  description = "Cap on concurrent invocations per SQS event source mapping; null for no cap."
  default     = null
  validation {
    condition     = var.sqs_maximum_concurrency == null || try(var.sqs_maximum_concurrency >= 2 && var.sqs_maximum_concurrency <= 1000, false)
    error_message = "sqs_maximum_concurrency must be between 2 and 1000."
  }
}

variable "reconciler_schedule_expression" {
  type        = string
  description = "Schedule of the reconciler function (only used when the build has one)."
  default     = "rate(1 minute)"
  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.reconciler_schedule_expression))
    error_message = "reconciler_schedule_expression must be rate(...) or cron(...)."
  }
}

