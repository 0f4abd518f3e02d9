# The streaming endpoint: a public Lambda function URL with response streaming (SSE). Function URLs
# have no authorizer; the function verifies the bearer JWT itself, with the authorizer's verifier.
#
# Its resource policy holds exactly two statements, both for principal "*":
#   - lambda:InvokeFunctionUrl, conditioned on lambda:FunctionUrlAuthType = NONE (the URL itself).
#     aws_lambda_function_url adds it when authorization_type is NONE (statement id
#     FunctionURLAllowPublicAccess); a second aws_lambda_permission would only duplicate it.
#   - lambda:InvokeFunction, conditioned on lambda:InvokedViaFunctionUrl = true, which function URLs
#     created since October 2025 also need. The condition keeps the grant to calls that arrive
#     through the URL: nobody may call the Invoke API on the function directly.
# The AWS provider 5.x cannot write the second condition (aws_lambda_permission has no
# invoked_via_function_url before 6.x), and an InvokeFunction grant to "*" without it would let any
# AWS account invoke the function directly. CloudFormation's AWS::Lambda::Permission has the
# property (InvokedViaFunctionUrl), so a one-resource stack adds that statement, and destroying
# the stack removes it.
resource "aws_lambda_function_url" "this" {
  function_name      = var.function_name
  authorization_type = "NONE"
  invoke_mode        = "RESPONSE_STREAM"
}

resource "aws_cloudformation_stack" "invoke_via_url" {
  name = "${var.function_name}-url-invoke"
  template_body = jsonencode({
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "lambda:InvokeFunction on ${var.function_name} for calls through its function URL only (terraform/modules/stream-url)"
    Resources = {
      InvokeViaFunctionUrl = {
        Type = "AWS::Lambda::Permission"
        Properties = {
          Action                = "lambda:InvokeFunction"
          FunctionName          = var.function_name
          Principal             = "*"
          InvokedViaFunctionUrl = true
        }
      }
    }
  })
  # the statement's function must exist first; the stack adds nothing else
  depends_on = [aws_lambda_function_url.this]
}
