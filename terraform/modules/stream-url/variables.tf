variable "function_name" {
  type        = string
  description = "The streaming function (its handler is wrapped by awslambda.streamifyResponse)."
}
