module "table" {
  source = "./modules/table"

  name                   = "${var.name_prefix}-tasks"
  point_in_time_recovery = var.table_point_in_time_recovery
  deletion_protection    = var.table_deletion_protection
  kms_key_arn            = var.table_kms_key_arn
}

module "work_queue" {
  source = "./modules/queue"

  name                             = "${var.name_prefix}-work"
  max_receive_count                = var.work_queue_max_receive_count
  visibility_timeout_seconds       = var.work_queue_visibility_timeout_seconds
  consumer_timeout_seconds         = local.queue_consumer_timeout["work-queue"]
  dlq_consumer_timeout_seconds     = local.queue_consumer_timeout["work-dlq"]
  consumer_batching_window_seconds = var.sqs_batching_window_seconds
}

module "push_queue" {
  source = "./modules/queue"

  name                             = "${var.name_prefix}-push"
  max_receive_count                = var.push_queue_max_receive_count
  visibility_timeout_seconds       = var.push_queue_visibility_timeout_seconds
  consumer_timeout_seconds         = local.queue_consumer_timeout["push-queue"]
  dlq_consumer_timeout_seconds     = local.queue_consumer_timeout["push-dlq"]
  consumer_batching_window_seconds = var.sqs_batching_window_seconds
}

module "signing_key" {
  source = "./modules/signing-key"

  name                 = "${var.name_prefix}/push-signing-keys"
  kms_key_arn          = var.signing_key_kms_key_arn
  recovery_window_days = var.signing_key_recovery_window_days
}

module "function" {
  source   = "./modules/lambda-function"
  for_each = { for k, f in local.functions : k => f if f.trigger_type != "function-url" }

  function_name      = each.value.function_name
  description        = each.value.description
  zip_path           = each.value.zip_path
  handler            = each.value.handler
  runtime            = local.manifest.runtime
  architecture       = var.lambda_architecture
  memory_mb          = each.value.memory_mb
  timeout_seconds    = each.value.timeout_seconds
  environment        = local.function_env[each.key]
  statements         = local.function_statements[each.key]
  tracing_enabled    = var.tracing_enabled
  log_retention_days = var.log_retention_days

  sqs_trigger = each.value.trigger_type != "sqs" ? null : {
    queue_arn               = local.queue_arns[each.value.trigger_queue]
    batch_size              = each.value.batch_size
    batching_window_seconds = var.sqs_batching_window_seconds
    maximum_concurrency     = var.sqs_maximum_concurrency
  }
}

# The streaming function is a module call of its own: the other functions' env holds its URL
# (STREAMING_URL), and instances of one module call cannot depend on each other.
module "stream_function" {
  source   = "./modules/lambda-function"
  for_each = { for k, f in local.functions : k => f if f.trigger_type == "function-url" }

  function_name      = each.value.function_name
  description        = each.value.description
  zip_path           = each.value.zip_path
  handler            = each.value.handler
  runtime            = local.manifest.runtime
  architecture       = var.lambda_architecture
  memory_mb          = each.value.memory_mb
  timeout_seconds    = each.value.timeout_seconds
  environment        = local.stream_function_env[each.key]
  statements         = local.function_statements[each.key]
  tracing_enabled    = var.tracing_enabled
  log_retention_days = var.log_retention_days
  sqs_trigger        = null
}

module "http_api" {
  source = "./modules/http-api"

  name                         = var.name_prefix
  gateway_function_name        = module.function[local.http_api_functions[0]].function_name
  gateway_invoke_arn           = module.function[local.http_api_functions[0]].invoke_arn
  authorizer_function_name     = module.function[local.authorizer_functions[0]].function_name
  authorizer_invoke_arn        = module.function[local.authorizer_functions[0]].invoke_arn
  authorizer_cache_ttl_seconds = var.authorizer_cache_ttl_seconds
  throttling_burst_limit       = var.api_throttling_burst_limit
  throttling_rate_limit        = var.api_throttling_rate_limit
  log_retention_days           = var.log_retention_days
}

# The streaming gateway's function URL (its URL becomes STREAMING_URL: terraform/env.tf).
module "stream_url" {
  source   = "./modules/stream-url"
  for_each = toset(local.stream_functions)

  function_name = module.stream_function[each.key].function_name
}

module "schedule" {
  source   = "./modules/schedule"
  for_each = local.scheduled_functions

  name                = "${var.name_prefix}-${each.key}"
  function_name       = module.function[each.key].function_name
  function_arn        = module.function[each.key].arn
  schedule_expression = var.reconciler_schedule_expression
}

module "alarms" {
  source = "./modules/alarms"

  dead_letter_queues = {
    work = module.work_queue.dlq_name
    push = module.push_queue.dlq_name
  }
  functions       = { for k, f in local.deployed_functions : k => f.function_name }
  error_threshold = var.lambda_error_alarm_threshold
  alarm_actions   = var.alarm_actions
  name_prefix     = var.name_prefix
  region          = var.region
}
