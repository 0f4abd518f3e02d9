# The functions come from the build: dist/manifest.json, written by `npm run build` from
# deploy/lambda-entries.ts (the one list). A new entry there is a new function here, with its
# role, log group, alarm and trigger (route, function URL, SQS event source mapping or schedule).
locals {
  dist_dir = coalesce(var.dist_dir, abspath("${path.root}/../dist"))
  manifest = jsondecode(file("${local.dist_dir}/manifest.json"))

  # streaming.enabled = false leaves the streaming function (and its public URL) out
  functions = {
    for f in local.manifest.functions : f.name => {
      name            = f.name
      function_name   = "${var.name_prefix}-${f.name}"
      description     = f.description
      handler         = f.handler
      zip_path        = "${local.dist_dir}/${f.zip}"
      env             = f.env
      grants          = f.grants
      trigger_type    = f.trigger.type
      trigger_queue   = f.trigger.queue
      batch_size      = f.trigger.batch_size
      memory_mb       = lookup(var.function_memory_mb, f.name, f.memory_mb)
      timeout_seconds = lookup(var.function_timeout_seconds, f.name, f.timeout_seconds)
    } if f.trigger.type != "function-url" || var.streaming.enabled
  }

  http_api_functions   = [for f in local.functions : f.name if f.trigger_type == "http-api"]
  authorizer_functions = [for f in local.functions : f.name if f.trigger_type == "http-authorizer"]
  stream_functions     = [for f in local.functions : f.name if f.trigger_type == "function-url"]
  scheduled_functions  = { for k, f in local.functions : k => f if f.trigger_type == "schedule" }

  # The longest timeout among each queue's consumers sizes that queue's visibility timeout.
  queue_consumer_timeout = {
    for q in ["work-queue", "push-queue", "work-dlq", "push-dlq"] : q => max(0, [for f in local.functions : f.timeout_seconds if f.trigger_queue == q]...)
  }

  # every function's module instance, whichever module call made it (main.tf)
  deployed_functions = merge(module.function, module.stream_function)
}
