/**
 * The HTTP+JSON binding's URL table (A2A 1.0.1 §11.3): method + path -> the v1.0 method it
 * serves and the ids in the path. Paths are relative to an interface URL: the root (the default
 * agent) or `/agents/{agentId}`. The spec's optional `/{tenant}` prefix is not served (README
 * decision 48): the tenant is the token's, and a prefix would make `/debug/tasks` or
 * `/agents/tasks` mean two things. Matching is plain segment work, shared by the fastify route
 * and the Lambda streaming handler.
 */

export interface RestRoute {
  /** the v1.0 method name (METHODS in json-rpc/method-table.ts) */
  method: string;
  /** undefined: the default agent */
  agentId: string | undefined;
  /** ids from the path: `id` (task), `taskId` and `id` (push config) */
  ids: Record<string, string>;
}

export type RestMatch =
  | { ok: true; route: RestRoute }
  /** the path is one of ours, but not with this HTTP method */
  | { ok: false; allow: readonly string[] }
  | undefined;

type Ops = Readonly<Record<string, string>>;

interface Shape {
  ops: Ops;
  ids: Record<string, string>;
}

const SEND: Ops = { POST: 'SendMessage' };
const STREAM: Ops = { POST: 'SendStreamingMessage' };
const TASKS: Ops = { GET: 'ListTasks' };
const TASK: Ops = { GET: 'GetTask' };
const CANCEL: Ops = { POST: 'CancelTask' };
const SUBSCRIBE: Ops = { GET: 'SubscribeToTask', POST: 'SubscribeToTask' };
const CONFIGS: Ops = { GET: 'ListTaskPushNotificationConfigs', POST: 'CreateTaskPushNotificationConfig' };
const CONFIG: Ops = { GET: 'GetTaskPushNotificationConfig', DELETE: 'DeleteTaskPushNotificationConfig' };
const CARD: Ops = { GET: 'GetExtendedAgentCard' };

/** The operation path below an interface URL (and tenant prefix), as decoded segments. */
function shapeOf(segs: readonly string[]): Shape | undefined {
  const [first, task, third, config] = segs;
  switch (segs.length) {
    case 1:
      if (first === 'message:send') return { ops: SEND, ids: {} };
      if (first === 'message:stream') return { ops: STREAM, ids: {} };
      if (first === 'tasks') return { ops: TASKS, ids: {} };
      if (first === 'extendedAgentCard') return { ops: CARD, ids: {} };
      return undefined;
    case 2: {
      if (first !== 'tasks' || !task) return undefined;
      const verb = /^(.+):(cancel|subscribe)$/.exec(task);
      if (verb?.[1]) return { ops: verb[2] === 'cancel' ? CANCEL : SUBSCRIBE, ids: { id: verb[1] } };
      return { ops: TASK, ids: { id: task } };
    }
    case 3:
      if (first !== 'tasks' || !task || third !== 'pushNotificationConfigs') return undefined;
      return { ops: CONFIGS, ids: { taskId: task } };
    case 4:
      if (first !== 'tasks' || !task || third !== 'pushNotificationConfigs' || !config) return undefined;
      return { ops: CONFIG, ids: { taskId: task, id: config } };
    default:
      return undefined;
  }
}

/** Decoded path segments, without empty ones from a trailing slash; undefined if undecodable. */
function segmentsOf(path: string): string[] | undefined {
  const raw = path.split('?')[0]?.replace(/\/+$/, '').split('/').slice(1) ?? [];
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function matchRestRoute(httpMethod: string, path: string): RestMatch {
  const segs = segmentsOf(path);
  if (!segs || segs.some((s) => s === '')) return undefined;
  const bases: { agentId: string | undefined; rest: string[] }[] = [{ agentId: undefined, rest: segs }];
  if (segs[0] === 'agents' && segs.length >= 3) bases.unshift({ agentId: segs[1], rest: segs.slice(2) });
  for (const { agentId, rest } of bases) {
    const shape = shapeOf(rest);
    if (!shape) continue;
    const method = shape.ops[httpMethod.toUpperCase()];
    if (!method) return { ok: false, allow: Object.keys(shape.ops) };
    return { ok: true, route: { method, agentId, ids: shape.ids } };
  }
  return undefined;
}
