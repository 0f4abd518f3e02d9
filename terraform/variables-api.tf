# ---- auth: the OAuth issuer whose JWTs callers present ---------------------------------------

variable "auth_issuer" {
  type        = string
  description = "Expected iss claim, e.g. https://cognito-idp.us-east-1.amazonaws.com/<pool id>."
  validation {
    condition     = can(regex("^https://[^\\s]+$", var.auth_issuer))
    error_message = "auth_issuer must be an https URL."
  }
}

variable "auth_audience" {
  type        = string
  description = "Expected aud claim (for Cognito client-credentials tokens, which carry no aud, see docs/DEPLOY.md)."
  validation {
    condition     = length(trimspace(var.auth_audience)) > 0 && length(var.auth_audience) <= 2048
    error_message = "auth_audience must be a non-empty string."
  }
}

variable "auth_jwks_url" {
  type        = string
  description = "JWKS URL of the issuer (https)."
  validation {
    condition     = can(regex("^https://[^\\s]+$", var.auth_jwks_url))
    error_message = "auth_jwks_url must be an https URL."
  }
}

variable "auth_tenant_claim" {
  type        = string
  description = "Claim that names the caller's tenant (e.g. tenant, or client_id for Cognito client credentials)."
  default     = "tenant"
  validation {
    condition     = can(regex("^[A-Za-z0-9_:./-]{1,256}$", var.auth_tenant_claim))
    error_message = "auth_tenant_claim must be a claim name."
  }
}

variable "auth_algorithms" {
  type        = list(string)
  description = "Accepted JWS algorithms (asymmetric only)."
  default     = ["RS256", "ES256"]
  validation {
    condition = length(var.auth_algorithms) > 0 && alltrue([
      for a in var.auth_algorithms : contains(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"], a)
    ])
    error_message = "auth_algorithms must be a non-empty list of RS*, PS*, ES*, EdDSA or Ed25519."
  }
}

variable "auth_clock_tolerance_seconds" {
  type        = number
  description = "Allowed clock skew for exp/nbf/iat, in the authorizer and the gateway."
  default     = 30
  validation {
    condition     = var.auth_clock_tolerance_seconds >= 0 && var.auth_clock_tolerance_seconds <= 300
    error_message = "auth_clock_tolerance_seconds must be between 0 and 300."
  }
}

variable "auth_jwks_timeout_ms" {
  type        = number
  description = "Timeout of one JWKS fetch by the authorizer."
  default     = 3000
  validation {
    condition     = var.auth_jwks_timeout_ms >= 50 && var.auth_jwks_timeout_ms <= 10000
    error_message = "auth_jwks_timeout_ms must be between 50 and 10000."
  }
}

variable "auth_max_token_lifetime_seconds" {
  type        = number
  description = "Longest accepted token lifetime (exp - iat) in the authorizer and the gateway; a token without iat may expire at most this far from now."
  default     = 86400
  validation {
    condition     = var.auth_max_token_lifetime_seconds >= 60 && var.auth_max_token_lifetime_seconds <= 2592000 && floor(var.auth_max_token_lifetime_seconds) == var.auth_max_token_lifetime_seconds
    error_message = "auth_max_token_lifetime_seconds must be a whole number from 60 to 2592000 (30 days)."
  }
}

variable "auth_reverify" {
  type        = bool
  description = "The gateway verifies the JWT again behind the authorizer (defence in depth)."
  default     = false
}

variable "authorizer_cache_ttl_seconds" {
  type        = number
  description = "API Gateway caches the authorizer's answer per Authorization header this long (0 disables)."
  default     = 300
  validation {
    condition     = var.authorizer_cache_ttl_seconds >= 0 && var.authorizer_cache_ttl_seconds <= 3600
    error_message = "authorizer_cache_ttl_seconds must be between 0 and 3600."
  }
}

variable "oauth_token_url" {
  type        = string
  description = "Token endpoint advertised in the agent cards' security schemes; null advertises none."
  default     = null
  validation {
    condition     = var.oauth_token_url == null || can(regex("^https://[^\\s]+$", var.oauth_token_url))
    error_message = "oauth_token_url must be an https URL."
  }
}

# ---- gateway behaviour ----------------------------------------------------------------------

variable "public_base_url" {
  type        = string
  description = "Base URL clients use (a custom domain in front of the API); null uses the API's own URL."
  default     = null
  validation {
    condition     = var.public_base_url == null || can(regex("^https://[^\\s/]+(/[^\\s]*[^/])?$", var.public_base_url))
    error_message = "public_base_url must be an https URL without a trailing slash."
  }
}

variable "default_agent_id" {
  type        = string
  description = "Agent served at POST / and /.well-known/agent-card.json."
  default     = "echo"
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.default_agent_id))
    error_message = "default_agent_id must be an agent id (lowercase letters, digits, hyphens)."
  }
}

variable "webhook_allow_http_hosts" {
  type        = list(string)
  description = "Hosts (names or IP addresses, each matching any port) whose webhooks may use plain http. Leave empty in production: push goes to https only."
  default     = []
  validation {
    condition = alltrue([for h in var.webhook_allow_http_hosts :
      can(regex("^[A-Za-z0-9.-]+$", h)) || can(regex("^\\[?[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*\\]?$", h))
    ])
    error_message = "webhook_allow_http_hosts must hold host names or IP addresses without a port (an entry matches every port of its host)."
  }
}

variable "push_configs_per_task_max" {
  type        = number
  description = "Push notification configs one task may have (CreateTaskPushNotificationConfig and inline ones)."
  default     = 10
  validation {
    condition     = var.push_configs_per_task_max >= 1 && var.push_configs_per_task_max <= 100 && floor(var.push_configs_per_task_max) == var.push_configs_per_task_max
    error_message = "push_configs_per_task_max must be a whole number from 1 to 100."
  }
}

variable "blocking_timeout_ms" {
  type        = number
  description = "Longest a blocking SendMessage waits for the task to settle (below API Gateway's 30 s)."
  default     = 25000
  validation {
    condition     = var.blocking_timeout_ms >= 0 && var.blocking_timeout_ms <= 28000
    error_message = "blocking_timeout_ms must be between 0 and 28000."
  }
}

variable "cancel_wait_ms" {
  type        = number
  description = "How long CancelTask waits for the worker to acknowledge."
  default     = 5000
  validation {
    condition     = var.cancel_wait_ms >= 0 && var.cancel_wait_ms <= 20000
    error_message = "cancel_wait_ms must be between 0 and 20000."
  }
}

variable "tenant_max_queued_tasks" {
  type        = number
  description = "Tasks a tenant may have waiting for a worker (SUBMITTED) before SendMessage answers 429 RESOURCE_EXHAUSTED; 0 = no cap."
  default     = 1000
  validation {
    condition     = var.tenant_max_queued_tasks >= 0 && var.tenant_max_queued_tasks <= 100000 && floor(var.tenant_max_queued_tasks) == var.tenant_max_queued_tasks
    error_message = "tenant_max_queued_tasks must be a whole number between 0 and 100000."
  }
}

variable "body_limit_bytes" {
  type        = number
  description = "Largest accepted request body."
  default     = 1048576
  validation {
    condition     = var.body_limit_bytes >= 1024 && var.body_limit_bytes <= 6000000
    error_message = "body_limit_bytes must be between 1024 and 6000000 (Lambda's payload limit)."
  }
}

variable "list_page_max_bytes" {
  type        = number
  description = "Byte budget of one ListTasks page (the tasks' JSON); a page ends early with a nextPageToken."
  default     = 4194304
  validation {
    condition     = var.list_page_max_bytes >= 65536 && var.list_page_max_bytes <= 5000000
    error_message = "list_page_max_bytes must be between 65536 and 5000000 (room under Lambda's 6 MB response limit)."
  }
}

variable "api_throttling_burst_limit" {
  type        = number
  description = "HTTP API stage burst limit."
  default     = 500
}

variable "api_throttling_rate_limit" {
  type        = number
  description = "HTTP API stage rate limit (requests per second)."
  default     = 1000
}

