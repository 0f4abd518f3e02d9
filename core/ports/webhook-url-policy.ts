/** Decides whether a push-notification URL may be registered. Throws InvalidParamsError if not. */
export interface WebhookUrlPolicy {
  assertAllowed(url: string, field: string): Promise<void>;
}
