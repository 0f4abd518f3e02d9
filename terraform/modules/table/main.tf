# The single table: exactly the definition in adapters/dynamo/table-schema.ts (PK/SK strings,
# on-demand, sparse GSI1/GSI2 for ListTasks projecting what their filters read, sparse GSI3 for
# the reconciler projecting tenant and id, sparse GSI5 of each tenant's SUBMITTED tasks (counted
# for TENANT_MAX_QUEUED_TASKS and listed while queued, projecting what ListTasks filters on), TTL
# on expiresAt). test/terraform compares the two, so change them together. (A stack created with
# ALL projections on GSI1/GSI2 gets them rebuilt by the next apply; ListTasks works on both. A
# stack of a release before README decision 84 has a keys-only GSI4 instead of GSI5: the next
# apply drops it and adds GSI5; docs/DEPLOY.md, Upgrading, says what to expect meanwhile.)
locals {
  indexes = {
    GSI1 = { projection_type = "INCLUDE", non_key_attributes = ["agentId", "state", "expiresAt"] }
    GSI2 = { projection_type = "INCLUDE", non_key_attributes = ["agentId", "state", "expiresAt"] }
    GSI3 = { projection_type = "INCLUDE", non_key_attributes = ["tenant", "id"] }
    GSI5 = { projection_type = "INCLUDE", non_key_attributes = ["agentId", "contextId", "state", "expiresAt"] }
  }
  attributes = concat(["PK", "SK"], flatten([for name in keys(local.indexes) : ["${name}PK", "${name}SK"]]))
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "PK"
  range_key                   = "SK"
  deletion_protection_enabled = var.deletion_protection

  dynamic "attribute" {
    for_each = local.attributes
    content {
      name = attribute.value
      type = "S"
    }
  }

  dynamic "global_secondary_index" {
    for_each = local.indexes
    content {
      name               = global_secondary_index.key
      hash_key           = "${global_secondary_index.key}PK"
      range_key          = "${global_secondary_index.key}SK"
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.non_key_attributes
    }
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  # Without a key ARN the table uses DynamoDB's default encryption at rest (an AWS owned key).
  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
