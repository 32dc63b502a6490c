# One item per batch: expected files, settled sets, the generation and its one-time gold claim.
resource "aws_dynamodb_table" "tracker" {
  name                        = "${var.name_prefix}-tracker"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "batch_id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "batch_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

# Powertools idempotency records (functions.shared.aws.idempotency_store).
resource "aws_dynamodb_table" "idempotency" {
  name                        = "${var.name_prefix}-idempotency"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }
}

# Gold aggregates for dashboards: pk names the table and key (e.g. "owner_year#<owner>"), sk the row.
resource "aws_dynamodb_table" "serving" {
  name                        = "${var.name_prefix}-serving"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}
