# The env contract, in one place: every variable any function's config module reads, by the
# name it reads it under (gateway/config.ts, authorizer/config.ts, workers/config.ts,
# workers/*/config.ts, adapters/aws/aws-config.ts, adapters/push/push-config.ts,
# adapters/a2a-remote/remote-agents-env.ts). Each function
# gets the subset its manifest entry lists. Optional values left null stay unset (the config
# module then uses its default). AWS_REGION is set by Lambda itself; *_ENDPOINT variables are
# local only. Which names are set depends on variables only, never on values known after apply.
locals {
  public_base_url = coalesce(var.public_base_url, module.http_api.endpoint_url)

  # STREAMING_URL: streaming.url when set (a domain in front of the function URL), else the
  # streaming function's URL. A function never gets its own URL (it exists only after the
  # function): the streaming function gets STREAMING_URL from streaming.url only; it answers POSTs
  # and serves no cards, so the value changes nothing there.
  streaming_url     = var.streaming.url != null ? var.streaming.url : one([for m in module.stream_url : m.url])
  streaming_url_set = var.streaming.url != null || length(local.stream_functions) > 0

  # REMOTE_AGENTS: core/remote-agents.ts's JSON shape (camelCase, unset fields left out)
  remote_agents_json = jsonencode([for a in var.remote_agents : { for k, v in {
    id             = a.id
    cardUrl        = a.card_url
    name           = a.name
    description    = a.description
    streaming      = a.streaming
    allowedOrigins = a.allowed_origins
    auth = a.auth == null ? null : { for ak, av in {
      type     = a.auth.type
      secretId = a.auth.secret_id
      tokenUrl = a.auth.token_url
      clientId = a.auth.client_id
      scopes   = a.auth.scopes
    } : ak => av if av != null }
  } : k => v if v != null }])

  env_required = {
    TABLE_NAME                      = module.table.name
    WORK_QUEUE_URL                  = module.work_queue.url
    PUSH_QUEUE_URL                  = module.push_queue.url
    PUSH_SIGNING_SECRET_ID          = module.signing_key.arn
    PUSH_ISSUER                     = local.public_base_url
    PUSH_TIMEOUT_MS                 = tostring(var.push_delivery.timeout_ms)
    PUSH_SUSPEND_AFTER              = tostring(var.push_delivery.suspend_after)
    PUSH_BACKOFF_BASE_SECONDS       = tostring(var.push_delivery.backoff_base_seconds)
    PUSH_BACKOFF_MAX_SECONDS        = tostring(var.push_delivery.backoff_max_seconds)
    PUBLIC_BASE_URL                 = local.public_base_url
    LOG_LEVEL                       = var.log_level
    AUTH_MODE                       = "authorizer"
    AUTH_REVERIFY                   = tostring(var.auth_reverify)
    AUTH_ISSUER                     = var.auth_issuer
    AUTH_AUDIENCE                   = var.auth_audience
    AUTH_JWKS_URL                   = var.auth_jwks_url
    AUTH_TENANT_CLAIM               = var.auth_tenant_claim
    AUTH_ALGORITHMS                 = join(",", var.auth_algorithms)
    AUTH_CLOCK_TOLERANCE_SECONDS    = tostring(var.auth_clock_tolerance_seconds)
    AUTH_JWKS_TIMEOUT_MS            = tostring(var.auth_jwks_timeout_ms)
    AUTH_MAX_TOKEN_LIFETIME_SECONDS = tostring(var.auth_max_token_lifetime_seconds)
    BLOCKING_TIMEOUT_MS             = tostring(var.blocking_timeout_ms)
    CANCEL_WAIT_MS                  = tostring(var.cancel_wait_ms)
    PUSH_CONFIGS_PER_TASK_MAX       = tostring(var.push_configs_per_task_max)
    TENANT_MAX_QUEUED_TASKS         = tostring(var.tenant_max_queued_tasks)
    RETENTION_DAYS                  = tostring(var.retention_days)
    BODY_LIMIT_BYTES                = tostring(var.body_limit_bytes)
    LIST_PAGE_MAX_BYTES             = tostring(var.list_page_max_bytes)
    DEFAULT_AGENT_ID                = var.default_agent_id
    STREAM_HEARTBEAT_MS             = tostring(var.streaming.heartbeat_ms)
    STREAM_MAX_PER_PROCESS          = tostring(var.streaming.max_per_process)
    STREAM_MAX_PER_TENANT           = tostring(var.streaming.max_per_tenant)
    STREAM_MAX_DURATION_MS          = tostring(var.streaming.max_duration_ms)
    STREAM_DIRECT_REPLY_WAIT_MS     = tostring(var.streaming.direct_reply_wait_ms)
    LEASE_SECONDS                   = tostring(var.lease_seconds)
    HEARTBEAT_MS                    = tostring(var.heartbeat_ms)
    RESUBSCRIBE_WAIT_MS             = tostring(var.resubscribe_wait_ms)
    WORK_VISIBILITY_TIMEOUT_SECONDS = tostring(module.work_queue.visibility_timeout_seconds)
    CHECKPOINT_TTL_DAYS             = tostring(var.checkpoint_ttl_days)
    MODEL_PROVIDER                  = var.model_provider
    BEDROCK_MODEL_ID                = var.bedrock_model_id
    RECONCILE_MAX_ITEMS             = tostring(var.reconciler.max_items)
    RECONCILE_BACKOFF_SECONDS       = tostring(var.reconciler.backoff_seconds)
    REMOTE_AGENT_TIMEOUT_MS         = tostring(var.remote_agent_timeout_ms)
    ROUTER_SUBTASK_TIMEOUT_MS       = tostring(var.router_subtask_timeout_ms)
  }

  env_optional = {
    OAUTH_TOKEN_URL                = var.oauth_token_url
    WEBHOOK_ALLOW_HTTP_HOSTS       = length(var.webhook_allow_http_hosts) > 0 ? join(",", var.webhook_allow_http_hosts) : null
    RATES_API_URL                  = var.rates_api_url
    REMOTE_AGENTS                  = length(var.remote_agents) > 0 ? local.remote_agents_json : null
    REMOTE_AGENTS_ALLOW_HTTP_HOSTS = length(var.remote_agents_allow_http_hosts) > 0 ? join(",", var.remote_agents_allow_http_hosts) : null
  }

  env_names       = concat(keys(local.env_required), keys(local.env_optional), ["STREAMING_URL"])
  env_values_base = merge(local.env_required, { for k, v in local.env_optional : k => v if v != null })
  # two locals, not one map: the streaming function's env must not depend on its own URL
  env_values_stream = merge(local.env_values_base, var.streaming.url == null ? {} : { STREAMING_URL = var.streaming.url })
  env_values        = merge(local.env_values_base, local.streaming_url_set ? { STREAMING_URL = local.streaming_url } : {})

  unknown_env = distinct(flatten([
    for f in local.functions : [for k in f.env : "${f.name}: ${k}" if !contains(local.env_names, k)]
  ]))

  function_env = {
    for name, f in local.functions : name => {
      for k, v in local.env_values : k => v if contains(f.env, k)
    } if f.trigger_type != "function-url"
  }
  stream_function_env = {
    for name, f in local.functions : name => {
      for k, v in local.env_values_stream : k => v if contains(f.env, k)
    } if f.trigger_type == "function-url"
  }
}
