output "alarm_names" {
  description = "Names of every alarm."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.dlq_depth : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.function_errors : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.app : a.alarm_name],
  )
}

output "dashboard_name" {
  description = "The CloudWatch dashboard built on the gateway's metrics."
  value       = aws_cloudwatch_dashboard.gateway.dashboard_name
}
