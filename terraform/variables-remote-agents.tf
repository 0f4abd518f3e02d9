# ---- remote A2A agents and the router ---------------------------------------------------------

variable "remote_agents" {
  description = <<-EOT
    Remote A2A agents to put behind the gateway, each served at /agents/{id}. auth.type is none,
    bearer (secret_id: a Secrets Manager secret holding the token) or oauth2 (client credentials:
    token_url, client_id, secret_id holding the client secret, optional scopes). Secrets are
    named, never inline: create them yourself; the agent worker may read exactly these.
    Credentials are sent only to the card_url's origin and the origins in allowed_origins
    (scheme://host[:port], e.g. when the card's interface is on another host of yours).
  EOT
  type = list(object({
    id          = string
    card_url    = string
    name        = optional(string)
    description = optional(string)
    streaming   = optional(bool)
    # origins besides card_url's that the credentials may be sent to
    allowed_origins = optional(list(string))
    auth = optional(object({
      type      = string
      secret_id = optional(string)
      token_url = optional(string)
      client_id = optional(string)
      scopes    = optional(list(string))
    }))
  }))
  default = []
  validation {
    condition     = length(var.remote_agents) <= 32
    error_message = "At most 32 remote agents."
  }
  validation {
    condition     = alltrue([for a in var.remote_agents : can(regex("^[a-z][a-z0-9-]{0,62}$", a.id))]) && length(distinct([for a in var.remote_agents : a.id])) == length(var.remote_agents)
    error_message = "remote_agents ids must be unique and match ^[a-z][a-z0-9-]{0,62}$."
  }
  validation {
    condition     = alltrue([for a in var.remote_agents : can(regex("^https?://[^/@]+", a.card_url))])
    error_message = "remote_agents card_url must be an http(s) URL without credentials (plain http only for remote_agents_allow_http_hosts)."
  }
  validation {
    condition = alltrue([for a in var.remote_agents : a.auth == null ? true : (
      a.auth.type == "none" ? a.auth.secret_id == null :
      a.auth.type == "bearer" ? a.auth.secret_id != null :
      a.auth.type == "oauth2" ? a.auth.secret_id != null && a.auth.token_url != null && a.auth.client_id != null :
      false
    )])
    error_message = "remote_agents auth.type must be none, bearer (with secret_id) or oauth2 (with token_url, client_id and secret_id)."
  }
  validation {
    condition     = alltrue(flatten([for a in var.remote_agents : [for o in coalesce(a.allowed_origins, []) : can(regex("^https?://[^/@?#]+$", o))]]))
    error_message = "remote_agents allowed_origins must be origins (http(s)://host[:port]) without a path or credentials."
  }
  validation {
    condition     = alltrue([for a in var.remote_agents : a.auth == null ? true : a.auth.secret_id == null ? true : can(regex("^[A-Za-z0-9][A-Za-z0-9/_+=.@-]*$", a.auth.secret_id))])
    error_message = "remote_agents auth.secret_id must be a Secrets Manager secret name (not an ARN)."
  }
}

variable "remote_agents_allow_http_hosts" {
  type        = list(string)
  description = "Hosts of remote agents that may be reached over plain http. Leave empty in production: remote agents are reached over https only."
  default     = []
  validation {
    condition     = alltrue([for h in var.remote_agents_allow_http_hosts : can(regex("^[A-Za-z0-9.-]+(:[0-9]+)?$", h))])
    error_message = "remote_agents_allow_http_hosts must hold host names (optionally with :port)."
  }
}

variable "remote_agent_timeout_ms" {
  type        = number
  description = "Wait for a remote agent's answer, per request (the worker retries an unavailable agent with backoff)."
  default     = 30000
  validation {
    condition     = var.remote_agent_timeout_ms >= 1000 && var.remote_agent_timeout_ms <= 600000
    error_message = "remote_agent_timeout_ms must be between 1000 and 600000."
  }
}

variable "router_subtask_timeout_ms" {
  type        = number
  description = "How long the router waits for one delegated sub-task; must end before the agent worker's timeout."
  default     = 240000
  validation {
    condition     = var.router_subtask_timeout_ms >= 1000 && var.router_subtask_timeout_ms <= 3600000
    error_message = "router_subtask_timeout_ms must be between 1000 and 3600000."
  }
}
