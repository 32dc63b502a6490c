# One queue and one DLQ per stage; visibility, receive count and batch size live in contracts/routing.json.
resource "aws_sqs_queue" "dlq" {
  for_each = local.queues

  name                      = "${var.name_prefix}-${each.key}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "stage" {
  for_each = local.queues

  name                       = "${var.name_prefix}-${each.key}"
  visibility_timeout_seconds = each.value.visibility_timeout_seconds
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.max_receive_count
  })
}

# Only the stage's own queue may dead-letter into (and be redriven from) its DLQ.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = local.queues

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.stage[each.key].arn]
  })
}

data "aws_iam_policy_document" "queue" {
  for_each = local.queues

  statement {
    sid       = "EventBridgeRules"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.stage[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values = [
        for stage, rule in local.routing.rules : aws_cloudwatch_event_rule.stage[stage].arn if rule.queue == each.key
      ]
    }
  }
}

resource "aws_sqs_queue_policy" "stage" {
  for_each = local.queues

  queue_url = aws_sqs_queue.stage[each.key].id
  policy    = data.aws_iam_policy_document.queue[each.key].json
}
