# One rule per stage, straight from contracts/routing.json, narrowed to this bucket
# (the same narrowing as contracts.routing.Rule.pattern_for).
resource "aws_cloudwatch_event_rule" "stage" {
  for_each = local.stages

  name        = "${var.name_prefix}-${each.key}"
  description = local.routing.rules[each.key].description
  event_pattern = jsonencode(merge(local.routing.rules[each.key].pattern, {
    detail = merge(try(local.routing.rules[each.key].pattern.detail, {}), {
      bucket = { name = [aws_s3_bucket.this.id] }
    })
  }))
}

resource "aws_cloudwatch_event_target" "stage" {
  for_each = local.stages

  rule      = aws_cloudwatch_event_rule.stage[each.key].name
  target_id = "queue"
  arn       = aws_sqs_queue.stage[local.routing.rules[each.key].queue].arn

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }
}

# Every event of the bucket, kept for replay by time window.
resource "aws_cloudwatch_event_archive" "this" {
  name             = "${var.name_prefix}-bucket-events"
  description      = "S3 events of ${aws_s3_bucket.this.id}, for replay by time window."
  event_source_arn = "arn:${local.partition}:events:${var.region}:${local.account_id}:event-bus/default"
  retention_days   = var.archive_retention_days
  event_pattern = jsonencode({
    source = ["aws.s3"]
    detail = { bucket = { name = [aws_s3_bucket.this.id] } }
  })
}
