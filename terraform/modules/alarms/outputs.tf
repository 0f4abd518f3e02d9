output "alarm_names" {
  description = "Names of every alarm."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.dlq_depth : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.function_errors : a.alarm_name],
  )
}
