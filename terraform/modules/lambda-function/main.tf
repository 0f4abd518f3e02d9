# One Lambda function: its log group, role, least-privilege policy, the function itself and,
# when it consumes a queue, the SQS event source mapping (partial batch failures).

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  description      = var.description
  role             = aws_iam_role.this.arn
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  handler          = var.handler
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  tracing_config {
    mode = var.tracing_enabled ? "Active" : "PassThrough"
  }

  logging_config {
    log_format = "Text" # pino already writes one JSON object per line
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  # The role must be able to write logs (and poll its queue) before the function runs.
  depends_on = [aws_iam_role_policy.this]
}

resource "aws_lambda_event_source_mapping" "sqs" {
  count = var.sqs_trigger == null ? 0 : 1

  event_source_arn                   = var.sqs_trigger.queue_arn
  function_name                      = aws_lambda_function.this.arn
  batch_size                         = var.sqs_trigger.batch_size
  maximum_batching_window_in_seconds = var.sqs_trigger.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = var.sqs_trigger.maximum_concurrency == null ? [] : [var.sqs_trigger.maximum_concurrency]
    content {
      maximum_concurrency = scaling_config.value
    }
  }
}
