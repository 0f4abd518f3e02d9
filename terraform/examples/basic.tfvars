# A first deployment against a Cognito user pool with a client-credentials app client.
#   npm run build
#   terraform -chdir=terraform init
#   terraform -chdir=terraform apply -var-file=examples/basic.tfvars
region      = "us-east-1"
name_prefix = "a2a-demo"

auth_issuer       = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE"
auth_jwks_url     = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE/.well-known/jwks.json"
auth_audience     = "a2a-gateway"
auth_tenant_claim = "client_id"
auth_algorithms   = ["RS256"]
oauth_token_url   = "https://a2a-demo-example.auth.us-east-1.amazoncognito.com/oauth2/token"

log_level          = "info"
log_retention_days = 14
retention_days     = 7

# A trial stack: easy to tear down. Keep both true in production.
table_deletion_protection        = false
signing_key_recovery_window_days = 0

# The currency agent's model. "local" is the deterministic offline model: no Bedrock model access
# to request, no model cost, the same answers as `npm start`, so a trial stack works at once.
# Pick "bedrock" (and bedrock_model_id) once the model is enabled in this region's Bedrock console
# and you want real model answers.
model_provider = "local"

function_memory_mb = {
  agent-worker = 1536
}

# Remote A2A agents behind the gateway (docs/DEPLOY.md, "A remote A2A agent"); create the secret
# first: aws secretsmanager create-secret --name a2a-demo/weather-token --secret-string "$TOKEN"
# remote_agents = [
#   { id = "weather", card_url = "https://weather.example.com/.well-known/agent-card.json",
#     auth = { type = "bearer", secret_id = "a2a-demo/weather-token" } },
# ]
