data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.stages

  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

# Each function: its own queue and log group, the prefixes it reads and writes, the tables it uses.
data "aws_iam_policy_document" "function" {
  for_each = local.stages

  statement {
    sid = "OwnQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = [aws_sqs_queue.stage[local.routing.rules[each.key].queue].arn]
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  # Listing lets a HEAD of a missing key answer 404 instead of 403 (the store checks before writing).
  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid     = "ReadPrefixes"
    actions = ["s3:GetObject"]
    resources = [
      for name in distinct(concat(local.access[each.key].read, local.access[each.key].write)) :
      "${aws_s3_bucket.this.arn}/${local.prefixes[name]}*"
    ]
  }

  statement {
    sid       = "WritePrefixes"
    actions   = ["s3:PutObject"]
    resources = [for name in local.access[each.key].write : "${aws_s3_bucket.this.arn}/${local.prefixes[name]}*"]
  }

  statement {
    sid = "Idempotency"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.idempotency.arn]
  }

  # Every stage reads its batch's tracker generation (a replay's work is new work).
  statement {
    sid       = "TrackerGeneration"
    actions   = ["dynamodb:GetItem"]
    resources = [aws_dynamodb_table.tracker.arn]
  }

  # Only gold counts settled items, claims the build and serves the aggregates.
  dynamic "statement" {
    for_each = each.key == "gold" ? ["gold"] : []

    content {
      sid       = "Tracker"
      actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Scan"]
      resources = [aws_dynamodb_table.tracker.arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "gold" ? ["gold"] : []

    content {
      sid = "Serving"
      actions = [
        "dynamodb:BatchWriteItem",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:DescribeTable",
      ]
      resources = [aws_dynamodb_table.serving.arn]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.stages

  name   = "stage-access"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function[each.key].json
}

# The replay state machine: reset the tracker, list landing/, send to the OCR queue.
data "aws_iam_policy_document" "states_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "replay" {
  name               = "${var.name_prefix}-replay"
  assume_role_policy = data.aws_iam_policy_document.states_assume.json
}

data "aws_iam_policy_document" "replay" {
  statement {
    sid       = "ResetTracker"
    actions   = ["dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.tracker.arn]
  }

  statement {
    sid       = "ListLanding"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.prefixes.landing}*"]
    }
  }

  statement {
    sid       = "SendToOcr"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.stage[local.routing.rules.ocr.queue].arn]
  }

  # CloudWatch Logs delivery for Step Functions is granted on "*" by design (AWS documents no narrower scope).
  statement {
    sid = "Logs"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "replay" {
  name   = "replay"
  role   = aws_iam_role.replay.id
  policy = data.aws_iam_policy_document.replay.json
}
