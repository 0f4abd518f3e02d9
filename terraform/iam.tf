# Grants in the manifest name targets; these are the exact ARNs behind each target. A function's
# role gets its grants on these ARNs and nothing else (modules/lambda-function/iam.tf adds the
# platform's own needs: logs, the SQS trigger, X-Ray).
locals {
  bedrock_model_arn = "arn:${data.aws_partition.current.partition}:bedrock:${var.region}::foundation-model/${var.bedrock_model_id}"
  # the account, from an ARN this stack creates (no STS call, so plans stay offline)
  account_id = split(":", module.table.arn)[4]
  # Secrets Manager appends six random characters to a secret's name in its ARN
  remote_agent_secret_arns = [
    for name in distinct(compact([for a in var.remote_agents : a.auth == null ? null : a.auth.secret_id])) :
    "arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${local.account_id}:secret:${name}-??????"
  ]

  grant_target_arns = {
    "table"                = [module.table.arn]
    "table-indexes"        = module.table.index_arns
    "work-queue"           = [module.work_queue.arn]
    "push-queue"           = [module.push_queue.arn]
    "work-dlq"             = [module.work_queue.dlq_arn]
    "push-dlq"             = [module.push_queue.dlq_arn]
    "signing-key-secret"   = [module.signing_key.arn]
    "remote-agent-secrets" = local.remote_agent_secret_arns
    "bedrock-model"        = [local.bedrock_model_arn]
  }

  # A grant whose targets are all empty (no remote agent has a secret) is left out: IAM refuses
  # a statement without resources.
  function_statements = {
    for name, f in local.functions : name => [
      for g in f.grants : {
        sid       = g.sid
        actions   = g.actions
        resources = flatten([for t in g.on : local.grant_target_arns[t]])
      } if length(flatten([for t in g.on : local.grant_target_arns[t]])) > 0
    ]
  }

  queue_arns = {
    "work-queue" = module.work_queue.arn
    "push-queue" = module.push_queue.arn
    "work-dlq"   = module.work_queue.dlq_arn
    "push-dlq"   = module.push_queue.dlq_arn
  }
}
