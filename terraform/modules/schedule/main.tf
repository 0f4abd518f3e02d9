# Invokes a Lambda on a schedule with EventBridge Scheduler (the reconciler). The scheduler's
# role may invoke exactly that function.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-scheduler"
  description        = "EventBridge Scheduler role that invokes ${var.function_name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = "invoke-function"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeFunction"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [var.function_arn]
    }]
  })
}

resource "aws_scheduler_schedule" "this" {
  name                = var.name
  description         = "Runs ${var.function_name}"
  schedule_expression = var.schedule_expression

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.function_arn
    role_arn = aws_iam_role.this.arn

    # A missed run is covered by the next one.
    retry_policy {
      maximum_retry_attempts = 0
    }
  }
}
