# The push-signing key secret. Terraform creates it empty on purpose: a key generated here would
# sit in plain text in the Terraform state. The key is written by the rotation command in
# docs/DEPLOY.md (first run: a fresh ES256 key; later runs: new current, old current kept as
# previous so receivers keep verifying while they refresh the JWKS).
resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = "ES256 push-notification signing keys: { current: <private JWK>, previous?: <public JWK> }"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}
