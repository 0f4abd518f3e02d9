output "name" {
  description = "Table name."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "index_arns" {
  description = "ARNs of the secondary indexes (for dynamodb:Query grants)."
  value       = [for name in keys(local.indexes) : "${aws_dynamodb_table.this.arn}/index/${name}"]
}
