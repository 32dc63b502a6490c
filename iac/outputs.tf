output "bucket_name" {
  description = "The pipeline's bucket: drop batches under landing/<batch>/ and the manifest at manifests/<batch>.json."
  value       = aws_s3_bucket.this.id
}

output "queue_urls" {
  description = "Each stage's queue URL."
  value       = { for name, queue in aws_sqs_queue.stage : name => queue.id }
}

output "dlq_arns" {
  description = "Each stage's dead-letter queue ARN (the source of a redrive)."
  value       = { for name, queue in aws_sqs_queue.dlq : name => queue.arn }
}

output "function_names" {
  description = "Each stage's Lambda function name."
  value       = { for name, function in aws_lambda_function.stage : name => function.function_name }
}

output "tracker_table_name" {
  description = "DynamoDB table of batch progress and gold claims."
  value       = aws_dynamodb_table.tracker.name
}

output "serving_table_name" {
  description = "DynamoDB table serving the gold aggregates."
  value       = aws_dynamodb_table.serving.name
}

output "replay_state_machine_arn" {
  description = "Start an execution with {\"batch_id\": \"<batch>\"} to replay a batch."
  value       = aws_sfn_state_machine.this.arn
}

output "alarm_topic_arn" {
  description = "SNS topic the DLQ alarms publish to."
  value       = aws_sns_topic.alarms.arn
}
