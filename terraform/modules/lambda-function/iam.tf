# The function's role may do exactly what its code calls (var.statements, from the build
# manifest's grants) plus what the platform needs on its behalf, each tied to its reason:
#   - Logs: write to its own log group. The `:*` suffix is the log streams Lambda creates at
#     run time; their names are not known in advance.
#   - SqsTrigger: only with an SQS trigger. The event source mapping polls and deletes with the
#     function's role (sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes on that queue),
#     although the function code never calls them.
#   - XRay: only with active tracing. xray:PutTraceSegments/PutTelemetryRecords support no
#     resource-level permissions, so AWS requires Resource "*" here.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  description        = "Execution role of ${var.function_name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

locals {
  platform_statements = concat(
    [{
      sid       = "Logs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
    }],
    var.sqs_trigger == null ? [] : [{
      sid       = "SqsTrigger"
      actions   = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
      resources = [var.sqs_trigger.queue_arn]
    }],
    var.tracing_enabled ? [{
      sid       = "XRay"
      actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
      resources = ["*"]
    }] : [],
  )
}

resource "aws_iam_role_policy" "this" {
  name = "least-privilege"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for s in concat(local.platform_statements, var.statements) : {
        Sid      = s.sid
        Effect   = "Allow"
        Action   = sort(s.actions)
        Resource = sort(s.resources)
      }
    ]
  })

  lifecycle {
    precondition {
      condition = alltrue([
        for s in var.statements : alltrue([for a in s.actions : !strcontains(a, "*")]) && alltrue([for r in s.resources : !strcontains(r, "*")])
      ])
      error_message = "${var.function_name}: grants name exact actions on exact resources, never a wildcard."
    }
  }
}
