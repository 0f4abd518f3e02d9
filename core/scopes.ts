/** OAuth scopes and what they unlock. The README and the agent card are generated from this. */
export const Scope = {
  Submit: 'tasks:submit',
  Read: 'tasks:read',
  Cancel: 'tasks:cancel',
  Webhooks: 'webhooks:manage',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  [Scope.Submit]: 'Send messages (SendMessage, SendStreamingMessage)',
  [Scope.Read]: 'Read tasks (GetTask, ListTasks, SubscribeToTask)',
  [Scope.Cancel]: 'Cancel tasks (CancelTask)',
  [Scope.Webhooks]: 'Manage push notification configs',
};

export const AGENT_SCOPE_PREFIX = 'agent:';

/**
 * A token with one or more `agent:<id>` scopes may only reach those agents; a token with none
 * may reach every agent.
 */
export function mayUseAgent(scopes: readonly string[], agentId: string): boolean {
  const named = scopes.filter((s) => s.startsWith(AGENT_SCOPE_PREFIX));
  return named.length === 0 || named.includes(`${AGENT_SCOPE_PREFIX}${agentId}`);
}
