/** OAuth scopes and what they unlock. The README and the agent card are generated from this. */
import { PermissionDeniedError } from './errors';

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

/**
 * What a SendMessage needs, whoever sends it (a client through the gateway, or the router on its
 * caller's behalf): `tasks:submit`, and the agent among the token's `agent:<id>` scopes.
 * assertMaySend throws PermissionDeniedError naming the missing scope.
 */
export const maySend = (scopes: readonly string[], agentId: string): boolean =>
  scopes.includes(Scope.Submit) && mayUseAgent(scopes, agentId);

export function assertMaySend(scopes: readonly string[], agentId: string): void {
  if (!scopes.includes(Scope.Submit)) throw new PermissionDeniedError(Scope.Submit);
  if (!mayUseAgent(scopes, agentId)) throw new PermissionDeniedError(`${AGENT_SCOPE_PREFIX}${agentId}`);
}
