# Alarms and one dashboard on the gateway's own metrics (CloudWatch Embedded Metric Format lines,
# namespace A2AGateway; every data point also carries the service-only dimension set).
locals {
  namespace = "A2AGateway"
  app_alarms = {
    internal-errors = {
      description = "The gateway answered JSON-RPC -32603 (internal error): see the gateway log for the cause."
      metric      = "JsonRpcErrors"
      dimensions  = { service = "gateway", code = "-32603" }
      statistic   = "Sum"
      threshold   = 0
    }
    push-failures = {
      description = "Webhook deliveries are failing (retries continue; see the push-dispatcher log and config delivery state)."
      metric      = "PushFailures"
      dimensions  = { service = "push-dispatcher" }
      statistic   = "Sum"
      threshold   = var.push_failure_threshold
    }
    queue-wait = {
      description = "Work waits too long on the queue before a worker claims it: workers are saturated or failing."
      metric      = "QueueWaitMs"
      dimensions  = { service = "agent-worker" }
      statistic   = "Average"
      threshold   = var.queue_wait_threshold_ms
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "app" {
  for_each = local.app_alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = local.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "gateway" {
  dashboard_name = "${var.name_prefix}-gateway"
  dashboard_body = jsonencode({
    widgets = [
      for i, w in [
        { title = "Tasks created / finished", metrics = [[local.namespace, "TasksCreated", "service", "gateway"], [local.namespace, "TasksFinished", "service", "agent-worker"]], stat = "Sum" },
        { title = "Queue wait and run duration (ms)", metrics = [[local.namespace, "QueueWaitMs", "service", "agent-worker"], [local.namespace, "RunDurationMs", "service", "agent-worker"]], stat = "p99" },
        { title = "Push attempts / failures", metrics = [[local.namespace, "PushAttempts", "service", "push-dispatcher"], [local.namespace, "PushFailures", "service", "push-dispatcher"]], stat = "Sum" },
        { title = "Push latency (ms)", metrics = [[local.namespace, "PushLatencyMs", "service", "push-dispatcher"]], stat = "p99" },
        { title = "JSON-RPC errors and auth denials", metrics = [[local.namespace, "JsonRpcErrors", "service", "gateway"], [local.namespace, "AuthDenials", "service", "gateway"], [local.namespace, "AuthDenials", "service", "authorizer"]], stat = "Sum" },
        { title = "DLQ arrivals", metrics = [[local.namespace, "DlqArrivals", "service", "dlq-consumer"]], stat = "Sum" },
        ] : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = w.title
          metrics = w.metrics
          stat    = w.stat
          period  = 300
          region  = var.region
          view    = "timeSeries"
        }
      }
    ]
  })
}
