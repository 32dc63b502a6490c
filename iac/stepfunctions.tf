resource "aws_cloudwatch_log_group" "replay" {
  name              = "/aws/vendedlogs/states/${var.name_prefix}-replay"
  retention_in_days = var.log_retention_days
}

# replay(batch_id): new tracker generation, then every landing/<batch>/ file's Object Created event to OCR.
resource "aws_sfn_state_machine" "this" {
  name     = "${var.name_prefix}-replay"
  role_arn = aws_iam_role.replay.arn
  definition = templatefile("${path.module}/replay.asl.json", {
    tracker_table  = aws_dynamodb_table.tracker.name
    bucket         = aws_s3_bucket.this.id
    landing_prefix = local.prefixes.landing
    ocr_queue_url  = aws_sqs_queue.stage[local.routing.rules.ocr.queue].id
    account_id     = local.account_id
    region         = var.region
    partition      = local.partition
  })

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.replay.arn}:*"
    include_execution_data = false
    level                  = "ERROR"
  }

  depends_on = [aws_iam_role_policy.replay]
}
