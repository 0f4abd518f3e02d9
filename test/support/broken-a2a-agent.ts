/**
 * Remote agents that misbehave, on loopback: a valid card (or any card JSON a test gives), and a
 * JSON-RPC endpoint that answers with something that is not JSON, a result that is not valid A2A,
 * an event stream with an invalid event, or nothing at all (it hangs).
 */
import type { ServerResponse } from 'node:http';
import { type ReceivedRequest, type Receiver, startReceiver } from './webhook-receivers';

export type BrokenMode = 'not-json' | 'invalid-task' | 'invalid-stream' | 'hang';

export interface BrokenAgent extends Receiver {
  cardUrl: string;
  /** JSON-RPC calls it received */
  readonly rpcCalls: number;
}

export function validCard(origin: string, streaming: boolean, extra: Record<string, unknown> = {}) {
  return {
    name: 'Broken Agent',
    description: 'Answers badly.',
    version: '1.0.0',
    supportedInterfaces: [{ url: `${origin}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'broken', name: 'Broken', description: 'Breaks', tags: ['broken'] }],
    ...extra,
  };
}

export async function startBrokenAgent(
  mode: BrokenMode,
  card?: (origin: string) => unknown,
): Promise<BrokenAgent> {
  let origin = '';
  const handler = (req: ReceivedRequest, res: ServerResponse): void => {
    if (req.method === 'GET') {
      const body = card ? card(origin) : validCard(origin, mode === 'invalid-stream');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const id = (JSON.parse(req.body.toString() || '{}') as { id?: unknown }).id ?? null;
    switch (mode) {
      case 'hang':
        return;
      case 'not-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0", oops');
        return;
      case 'invalid-task':
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            id,
            result: {
              task: {
                id: 'r-1',
                contextId: 'c-1',
                status: { state: 'TASK_STATE_BOGUS' },
                artifacts: [{ artifactId: 'a', parts: [{ text: 'leaked remote text' }] }],
              },
            },
          }),
        );
        return;
      case 'invalid-stream': {
        const event = {
          jsonrpc: '2.0',
          id,
          result: { statusUpdate: { taskId: '', contextId: 'c-1', status: {} } },
        };
        res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`data: ${JSON.stringify(event)}\n\n`);
        return;
      }
    }
  };
  const receiver = await startReceiver(handler);
  origin = receiver.origin;
  return Object.defineProperties(receiver, {
    cardUrl: { value: `${receiver.origin}/.well-known/agent-card.json` },
    rpcCalls: { get: () => receiver.requests.filter((r) => r.method === 'POST').length },
  }) as BrokenAgent;
}
