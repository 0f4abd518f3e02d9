/**
 * autocannon's programmatic API, typed for what the benchmarks use (the package ships no types).
 * Every request gets a fresh body (unique messageIds: SendMessage is idempotent per messageId).
 */
import { createRequire } from 'node:module';

interface Histogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  pipelining: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests: { setupRequest: (req: AutocannonRequest) => AutocannonRequest }[];
}

type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult>;

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

export interface LoadSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: () => string;
  connections: number;
  /** run for this long, or until `amount` requests */
  durationSeconds?: number;
  amount?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  durationSeconds: number;
  statusCodes: Record<string, number>;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const options: AutocannonOptions = {
    url: spec.origin,
    connections: spec.connections,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          method: 'POST',
          path: spec.path,
          headers: { ...spec.headers, 'content-type': 'application/json' },
          body: spec.body(),
        }),
      },
    ],
  };
  if (spec.amount !== undefined) options.amount = spec.amount;
  else options.duration = spec.durationSeconds ?? 5;
  const r = await autocannon(options);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(count);
  return {
    requestsPerSecond: r.duration > 0 ? r.requests.total / r.duration : 0,
    total: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    durationSeconds: r.duration,
    statusCodes,
  };
}

let sequence = 0;

/** A SendMessage body with a unique messageId, the same shape for every server under test. */
export function sendMessageBody(returnImmediately: boolean, prefix = 'bench'): string {
  sequence += 1;
  return JSON.stringify({
    jsonrpc: '2.0',
    id: sequence,
    method: 'SendMessage',
    params: sendParams(returnImmediately, prefix),
  });
}

/** The same SendMessage as HTTP+JSON's `POST /message:send` body (the params, no envelope). */
export function restSendMessageBody(returnImmediately: boolean, prefix = 'bench'): string {
  sequence += 1;
  return JSON.stringify(sendParams(returnImmediately, prefix));
}

const sendParams = (returnImmediately: boolean, prefix: string) => ({
  message: {
    messageId: `${prefix}-${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    role: 'ROLE_USER',
    parts: [{ text: 'hello from the benchmark' }],
  },
  configuration: { returnImmediately },
});
