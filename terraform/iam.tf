# Grants in the manifest name targets; these are the exact ARNs behind each target. A function's
# role gets its grants on these ARNs and nothing else (modules/lambda-function/iam.tf adds the
# platform's own needs: logs, the SQS trigger, X-Ray).
locals {
  bedrock_model_arn = "arn:${data.aws_partition.current.partition}:bedrock:${var.region}::foundation-model/${var.bedrock_model_id}"

  grant_target_arns = {
    "table"              = [module.table.arn]
    "table-indexes"      = module.table.index_arns
    "work-queue"         = [module.work_queue.arn]
    "push-queue"         = [module.push_queue.arn]
    "work-dlq"           = [module.work_queue.dlq_arn]
    "push-dlq"           = [module.push_queue.dlq_arn]
    "signing-key-secret" = [module.signing_key.arn]
    "bedrock-model"      = [local.bedrock_model_arn]
  }

  function_statements = {
    for name, f in local.functions : name => [
      for g in f.grants : {
        sid       = g.sid
        actions   = g.actions
        resources = flatten([for t in g.on : local.grant_target_arns[t]])
      }
    ]
  }

  queue_arns = {
    "work-queue" = module.work_queue.arn
    "push-queue" = module.push_queue.arn
    "work-dlq"   = module.work_queue.dlq_arn
    "push-dlq"   = module.push_queue.dlq_arn
  }
}
