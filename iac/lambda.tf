resource "aws_cloudwatch_log_group" "function" {
  for_each = local.stages

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
}

# One container-image function per stage; the image's CMD is the stage's handler.
resource "aws_lambda_function" "stage" {
  for_each = local.stages

  function_name = "${var.name_prefix}-${each.key}"
  description   = local.routing.rules[each.key].description
  role          = aws_iam_role.function[each.key].arn
  package_type  = "Image"
  image_uri     = var.image_uris[each.key]
  architectures = [var.architecture]
  memory_size   = var.memory_mb[each.key]
  timeout       = var.timeout_seconds[each.key]

  # Gold builds are serialised by running one gold function at a time (functions/shared/dal.py).
  # SQS then sees throttled receives of the gold queue count toward its DLQ: contracts/routing.json
  # gives gold a max_receive_count of 10 for that headroom.
  reserved_concurrent_executions = each.key == "gold" ? 1 : -1

  image_config {
    command = [local.handlers[each.key]]
  }

  environment {
    variables = {
      UDEMY_PIPELINE_RUNTIME           = "aws"
      UDEMY_PIPELINE_BUCKET            = aws_s3_bucket.this.id
      UDEMY_PIPELINE_TRACKER_TABLE     = aws_dynamodb_table.tracker.name
      UDEMY_PIPELINE_IDEMPOTENCY_TABLE = aws_dynamodb_table.idempotency.name
      UDEMY_PIPELINE_SERVING_TABLE     = aws_dynamodb_table.serving.name
      UDEMY_PIPELINE_WORKDIR           = "/tmp/udemy-pipeline"
      POWERTOOLS_SERVICE_NAME          = "${var.name_prefix}-${each.key}"
      POWERTOOLS_LOG_LEVEL             = var.log_level
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }
}

resource "aws_lambda_event_source_mapping" "stage" {
  for_each = local.stages

  event_source_arn        = aws_sqs_queue.stage[local.routing.rules[each.key].queue].arn
  function_name           = aws_lambda_function.stage[each.key].arn
  batch_size              = local.queues[local.routing.rules[each.key].queue].batch_size
  function_response_types = ["ReportBatchItemFailures"]

  # Only enrich is capped: it calls the course API.
  dynamic "scaling_config" {
    for_each = each.key == "enrich" ? [var.enrich_max_concurrency] : []

    content {
      maximum_concurrency = scaling_config.value
    }
  }

  lifecycle {
    precondition {
      condition     = var.timeout_seconds[each.key] <= local.queues[local.routing.rules[each.key].queue].visibility_timeout_seconds
      error_message = "The ${each.key} function's timeout exceeds its queue's visibility timeout (contracts/routing.json)."
    }
  }
}
