variable "name_prefix" {
  description = "Prefix of every resource name (queues, functions, tables, the state machine)."
  type        = string
  default     = "udemy-pipeline"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "Use 3-32 lowercase letters, digits or '-', starting and ending with a letter or digit."
  }
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "bucket_name" {
  description = "Name of the pipeline's one bucket. Null: <name_prefix>-<account id>-<region>."
  type        = string
  default     = null
}

variable "image_uris" {
  description = "Container image URI (ECR, with tag or digest) of each stage's function; build them from docker/."
  type = object({
    ocr    = string
    enrich = string
    silver = string
    gold   = string
  })
}

variable "architecture" {
  description = "Instruction set the images are built for: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "Use x86_64 or arm64."
  }
}

variable "memory_mb" {
  description = "Memory (MB) of each stage's function. OCR is CPU bound: more memory buys more CPU."
  type = object({
    ocr    = optional(number, 2048)
    enrich = optional(number, 512)
    silver = optional(number, 1024)
    gold   = optional(number, 2048)
  })
  default = {}
}

variable "timeout_seconds" {
  description = "Timeout (s) of each stage's function; must not exceed its queue's visibility timeout in contracts/routing.json."
  type = object({
    ocr    = optional(number, 90)
    enrich = optional(number, 45)
    silver = optional(number, 45)
    gold   = optional(number, 240)
  })
  default = {}
}

variable "enrich_max_concurrency" {
  description = "Most concurrent enrich invocations the SQS event source mapping starts: caps the load on the course API (2-1000)."
  type        = number
  default     = 2

  validation {
    condition     = var.enrich_max_concurrency >= 2 && var.enrich_max_concurrency <= 1000
    error_message = "Lambda accepts a maximum concurrency between 2 and 1000."
  }
}

variable "log_level" {
  description = "Powertools log level of every function."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "Use DEBUG, INFO, WARNING or ERROR."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the functions' and the state machine's logs."
  type        = number
  default     = 30
}

variable "quarantine_retention_days" {
  description = "Days a quarantine record stays in the bucket before S3 expires it."
  type        = number
  default     = 90

  validation {
    condition     = var.quarantine_retention_days >= 1
    error_message = "Keep quarantine records at least one day."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days S3 keeps overwritten object versions."
  type        = number
  default     = 30
}

variable "archive_retention_days" {
  description = "Days the EventBridge archive keeps the bucket's events for replay by time window (0 = forever)."
  type        = number
  default     = 30
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (DLQ not empty). Empty: alarms fire without email."
  type        = list(string)
  default     = []
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds objects (for test stacks)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the DynamoDB tables from deletion."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
