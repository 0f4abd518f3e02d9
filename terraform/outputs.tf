output "endpoint_url" {
  description = "A2A JSON-RPC endpoint of the default agent (POST)."
  value       = "${local.public_base_url}/"

  precondition {
    condition     = length(local.http_api_functions) == 1 && length(local.authorizer_functions) == 1
    error_message = "dist/manifest.json must hold exactly one http-api and one http-authorizer function."
  }
  precondition {
    condition     = length(local.stream_functions) <= 1
    error_message = "dist/manifest.json may hold at most one function-url function (its URL is the one STREAMING_URL)."
  }
  precondition {
    condition     = alltrue([for name in local.stream_functions : var.streaming.max_duration_ms < local.functions[name].timeout_seconds * 1000])
    error_message = "streaming.max_duration_ms must be shorter than the streaming function's timeout (streams end before it, and clients resume)."
  }
  precondition {
    condition     = length(local.unknown_env) == 0
    error_message = "dist/manifest.json lists env variables terraform/env.tf does not set: ${join(", ", local.unknown_env)}."
  }
  precondition {
    condition     = local.manifest.runtime == "nodejs22.x"
    error_message = "dist/manifest.json targets ${local.manifest.runtime}; this module deploys nodejs22.x."
  }
  precondition {
    condition     = local.functions[local.http_api_functions[0]].timeout_seconds <= 30 && var.blocking_timeout_ms < local.functions[local.http_api_functions[0]].timeout_seconds * 1000
    error_message = "The gateway's timeout must be at most 30 s (API Gateway's limit) and longer than blocking_timeout_ms."
  }
  precondition {
    condition     = var.router_subtask_timeout_ms < try(local.functions["agent-worker"].timeout_seconds, 900) * 1000
    error_message = "router_subtask_timeout_ms must be shorter than the agent worker's timeout (the router waits inside one run)."
  }
  precondition {
    condition     = module.work_queue.visibility_timeout_seconds >= var.lease_seconds
    error_message = "The work queue's visibility timeout must cover lease_seconds: a redelivered message must find the lease expired."
  }
}

output "agent_endpoint_url_template" {
  description = "A2A endpoint of a named agent: replace {agentId}."
  value       = "${local.public_base_url}/agents/{agentId}"
}

output "streaming_url" {
  description = "Streaming endpoint (SSE; every JSON-RPC method, JWT verified by the function): the function URL, or streaming.url when set. Null without a streaming function."
  value       = local.streaming_url_set ? local.streaming_url : null
}

output "agent_card_url" {
  description = "Agent card of the default agent."
  value       = "${local.public_base_url}/.well-known/agent-card.json"
}

output "jwks_url" {
  description = "Public keys that verify signed push notifications."
  value       = "${local.public_base_url}/.well-known/jwks.json"
}

output "health_url" {
  description = "Health check."
  value       = "${local.public_base_url}/health"
}

output "api_id" {
  description = "HTTP API id."
  value       = module.http_api.api_id
}

output "table_name" {
  description = "DynamoDB table."
  value       = module.table.name
}

output "work_queue_name" {
  description = "Work queue name."
  value       = module.work_queue.name
}

output "work_queue_url" {
  description = "Work queue URL."
  value       = module.work_queue.url
}

output "work_dlq_url" {
  description = "Work dead-letter queue URL."
  value       = module.work_queue.dlq_url
}

output "push_queue_name" {
  description = "Push queue name."
  value       = module.push_queue.name
}

output "push_queue_url" {
  description = "Push queue URL."
  value       = module.push_queue.url
}

output "push_dlq_url" {
  description = "Push dead-letter queue URL."
  value       = module.push_queue.dlq_url
}

output "signing_key_secret_arn" {
  description = "Secrets Manager secret holding the push-signing keys (see docs/DEPLOY.md to create and rotate them)."
  value       = module.signing_key.arn
}

output "function_names" {
  description = "Lambda function names by manifest name."
  value       = { for k, f in local.deployed_functions : k => f.function_name }
}

output "function_env_names" {
  description = "The env variables each function gets (its manifest entry's list, minus optional ones left unset)."
  value       = { for name, env in merge(local.function_env, local.stream_function_env) : name => sort(keys(env)) }
}

output "log_group_names" {
  description = "Log groups by function, plus the API access log."
  value       = merge({ for k, f in local.deployed_functions : k => f.log_group_name }, { "http-api-access" = module.http_api.access_log_group_name })
}

output "alarm_names" {
  description = "CloudWatch alarms."
  value       = module.alarms.alarm_names
}
