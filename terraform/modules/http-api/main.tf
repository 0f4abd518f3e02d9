# The public HTTP API (API Gateway v2): every route goes to the gateway Lambda (payload 2.0).
# A2A endpoints (JSON-RPC and the HTTP+JSON binding) and the agent catalog (GET /agents) go
# through the REQUEST authorizer (simple responses, cached per Authorization header); agent
# cards, the push-signing JWKS and health are public. There is no catch-all route ($default,
# {proxy+}): a path not listed here never reaches a function.
locals {
  public_routes = {
    "POST /"                                            = true
    "POST /agents/{agentId}"                            = true
    "GET /agents"                                       = true
    "GET /.well-known/agent-card.json"                  = false
    "GET /agents/{agentId}/.well-known/agent-card.json" = false
    "GET /.well-known/jwks.json"                        = false
    "GET /health"                                       = false
  }

  # A2A HTTP+JSON (REST) binding: each operation under each base (the default agent at the root,
  # a named agent under /agents/{agentId}). A further base (e.g. "/v1" for A2A 0.3 REST) is one
  # more entry in rest_bases.
  rest_bases = ["", "/agents/{agentId}"]
  rest_operations = [
    "POST /message:send",
    "POST /message:stream",
    "GET /tasks",
    "GET /tasks/{taskId}",
    "POST /tasks/{taskId}:cancel",
    "POST /tasks/{taskId}:subscribe",
    "GET /tasks/{taskId}:subscribe",
    "POST /tasks/{taskId}/pushNotificationConfigs",
    "GET /tasks/{taskId}/pushNotificationConfigs",
    "GET /tasks/{taskId}/pushNotificationConfigs/{configId}",
    "DELETE /tasks/{taskId}/pushNotificationConfigs/{configId}",
    "GET /extendedAgentCard",
  ]

  # API Gateway accepts a path part only as letters, digits, '.', '_', '-' or as one whole
  # {variable} (AmazonApiGatewayV2 validates parts against ^(\{[\w.-]+\+?\}|[a-zA-Z0-9._-]+)$):
  # no ':' and no variable inside a segment. So a segment with a custom verb becomes one
  # whole-segment variable: "{taskId}:cancel" -> "{taskId}", "message:send" -> "{messageVerb}".
  # The gateway reads the real path (rawPath) and splits "id:verb" itself; several operations
  # share one route (POST /tasks/{taskId} carries :cancel and :subscribe), which the gateway
  # answers 404 for any verb it does not serve.
  rest_route_keys = distinct(flatten([
    for base in local.rest_bases : [
      for op in local.rest_operations : join(" ", [
        split(" ", op)[0],
        join("/", [
          for seg in split("/", "${base}${split(" ", op)[1]}") : !strcontains(seg, ":") ? seg : (
            startswith(seg, "{") ? split(":", seg)[0] : "{${split(":", seg)[0]}Verb}"
          )
        ])
      ])
    ]
  ]))

  routes = merge(local.public_routes, { for key in local.rest_route_keys : key => true })
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "A2A gateway"
  tags          = var.tags
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId        = "$context.requestId"
      routeKey         = "$context.routeKey"
      status           = "$context.status"
      latencyMs        = "$context.responseLatency"
      integrationMs    = "$context.integrationLatency"
      authorizerStatus = "$context.authorizer.status"
      authorizerError  = "$context.authorizer.error"
      integrationError = "$context.integrationErrorMessage"
      tenant           = "$context.authorizer.tenant"
      sourceIp         = "$context.identity.sourceIp"
      requestTime      = "$context.requestTimeEpoch"
    })
  }

  tags = var.tags
}

resource "aws_apigatewayv2_integration" "gateway" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = var.gateway_invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_ms
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id                            = aws_apigatewayv2_api.this.id
  name                              = "${var.name}-authorizer"
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = var.authorizer_invoke_arn
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
  identity_sources                  = ["$request.header.Authorization"]
  authorizer_result_ttl_in_seconds  = var.authorizer_cache_ttl_seconds
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.gateway.id}"
  authorization_type = each.value ? "CUSTOM" : "NONE"
  authorizer_id      = each.value ? aws_apigatewayv2_authorizer.jwt.id : null
}

# API Gateway may invoke the gateway for this API's routes and the authorizer for this
# authorizer only (resource policies on the functions).
resource "aws_lambda_permission" "gateway" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.gateway_function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowHttpApiAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = var.authorizer_function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/authorizers/${aws_apigatewayv2_authorizer.jwt.id}"
}
