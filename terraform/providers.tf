provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Application = "a2a-gateway", Stack = var.name_prefix }, var.tags)
  }
}

data "aws_partition" "current" {}
