# A standard queue with its dead-letter queue and redrive. Each visibility timeout defaults to
# AWS's guidance for Lambda consumers (6 x the function timeout + the batching window) and may
# not be set below it: a shorter one hands a message to a second worker while the first still
# runs it. The DLQ follows the same rule when a function consumes it.
locals {
  minimum_visibility_seconds     = 6 * var.consumer_timeout_seconds + var.consumer_batching_window_seconds
  visibility_timeout_seconds     = coalesce(var.visibility_timeout_seconds, max(30, local.minimum_visibility_seconds))
  dlq_minimum_visibility_seconds = 6 * var.dlq_consumer_timeout_seconds + var.consumer_batching_window_seconds
}

resource "aws_sqs_queue" "dlq" {
  name                       = "${var.name}-dlq"
  visibility_timeout_seconds = max(30, local.dlq_minimum_visibility_seconds)
  message_retention_seconds  = var.dlq_retention_seconds
  sqs_managed_sse_enabled    = true
  tags                       = var.tags
}

resource "aws_sqs_queue" "this" {
  name                       = var.name
  visibility_timeout_seconds = local.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.visibility_timeout_seconds >= local.minimum_visibility_seconds
      error_message = "${var.name}: visibility timeout ${local.visibility_timeout_seconds}s is below 6 x the consumer timeout + batching window (${local.minimum_visibility_seconds}s)."
    }
  }
}

