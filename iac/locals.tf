data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # The routing rules, queue settings and prefixes, written once for the code and for Terraform.
  routing  = jsondecode(file("${path.module}/../contracts/routing.json"))
  stages   = toset(keys(local.routing.rules))
  queues   = local.routing.queues
  prefixes = local.routing.prefixes

  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  bucket_name = coalesce(var.bucket_name, "${var.name_prefix}-${local.account_id}-${var.region}")

  handlers = {
    ocr    = "functions.ocr.handler.handler"
    enrich = "functions.enrich.handler.handler"
    silver = "functions.silver.handler.handler"
    gold   = "functions.gold.handler.handler"
  }

  # What each function reads and writes, by prefix name (see contracts/routing.json "prefixes").
  access = {
    ocr = {
      read  = ["landing"]
      write = ["bronze_certificates", "quarantine"]
    }
    enrich = {
      read  = ["bronze_certificates", "bronze_courses", "config"]
      write = ["bronze_courses", "bronze_enrichments", "quarantine"]
    }
    silver = {
      read  = ["bronze_certificates", "bronze_enrichments", "bronze_courses"]
      write = ["silver_certificates", "quarantine"]
    }
    gold = {
      read  = ["manifests", "silver_certificates", "quarantine"]
      write = ["gold"]
    }
  }
}
