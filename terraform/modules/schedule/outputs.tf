output "schedule_name" {
  description = "Schedule name."
  value       = aws_scheduler_schedule.this.name
}
