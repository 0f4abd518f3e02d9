/**
 * The gateway Lambda's memory and CPU per request, measured on the bundled entry (the bundle
 * cold-start measures, gateway/lambda/lambda.ts) in a fresh `node` process, invoked the way API
 * Gateway invokes it (HTTP API payload v2 with the authorizer's context, one invocation at a
 * time, as a Lambda instance serves them) against DynamoDB Local and moto's SQS. The size it
 * runs at in AWS is deploy/lambda-entries.ts's memoryMb (Terraform takes it from the build's
 * manifest); this row shows the measured peak beside it.
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { startMoto } from '../../test/support/moto';
import { type BenchRow, round } from './bench-types';
import { deployedMemoryMb } from './cost-model';
import { bundleEntry, DUMMY_ENV, lambdaEntries } from './lambda-bundles';
import { runNodeChild } from './node-child';

const EVENT_FILE = fileURLToPath(
  new URL('../../test/fixtures/apigw-http-gateway-event.json', import.meta.url),
);
const TABLE = 'bench-gateway-memory';
const LARGE_TASKS = 100;
const LARGE_TEXT_BYTES = 90 * 1024;

export interface GatewayProfile {
  /** MB: Node alone, after import and wiring, after warm-up (after a full GC), peak (maxRSS) */
  rss: { boot: number; imported: number; warm: number; peak: number; end: number };
  heap: { warm: number; peak: number };
  /** CPU ms per invocation, by kind */
  cpuMs: Record<string, number>;
  counts: Record<string, number>;
  listBytes: number;
}

// Runs in the child: plain JS, so no loader adds to the process's memory.
const DRIVER = `
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
const [bundle, eventFile, largeTasks, largeBytes] = process.argv.slice(1);
const recorded = JSON.parse(readFileSync(eventFile, 'utf8'));
const MB = 1024 * 1024;
let heapPeak = 0;
const mem = () => process.memoryUsage();
const boot = mem().rss / MB;
const m = await import(bundle);
const imported = mem().rss / MB;
let n = 0;
async function rpc(method, params) {
  const e = structuredClone(recorded);
  e.body = JSON.stringify({ jsonrpc: '2.0', id: ++n, method, params });
  e.headers['content-length'] = String(Buffer.byteLength(e.body));
  const out = await m.handler(e, { awsRequestId: 'bench-' + n });
  heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
  const body = JSON.parse(out.body);
  if (out.statusCode !== 200 || body.error) throw new Error(method + ' failed: ' + out.body.slice(0, 300));
  return { result: body.result, bytes: out.body.length };
}
const send = (text) => rpc('SendMessage', { message: { messageId: 'm-' + n + '-' + Math.random(), role: 'ROLE_USER', parts: [{ text }] }, configuration: { returnImmediately: true } });
const cpuMs = {};
const counts = {};
async function timed(kind, times, f) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < times; i++) await f(i);
  const c = process.cpuUsage(c0);
  cpuMs[kind] = (c.user + c.system) / 1000 / times;
  counts[kind] = times;
}
const ids = [];
for (let i = 0; i < 30; i++) ids.push((await send('warm-up')).result.task.id);
for (let i = 0; i < 30; i++) await rpc('GetTask', { id: ids[i] });
await rpc('ListTasks', { pageSize: 20 });
globalThis.gc?.();
const warm = mem();
await timed('SendMessage', 200, async () => { ids.push((await send('hello')).result.task.id); });
await timed('GetTask', 200, async (i) => { await rpc('GetTask', { id: ids[i] }); });
const big = 'x'.repeat(Number(largeBytes));
await timed('SendMessage of a ' + Math.round(Number(largeBytes) / 1024) + ' KB task', Number(largeTasks), () => send(big));
let listBytes = 0;
await timed('ListTasks of ' + largeTasks + ' large tasks', 10, async () => {
  listBytes = Math.max(listBytes, (await rpc('ListTasks', { pageSize: Number(largeTasks) })).bytes);
});
const peak = process.resourceUsage().maxRSS / 1024;
globalThis.gc?.();
process.stdout.write(JSON.stringify({
  rss: { boot, imported, warm: warm.rss / MB, peak, end: mem().rss / MB },
  heap: { warm: warm.heapUsed / MB, peak: heapPeak / MB },
  cpuMs, counts, listBytes,
}));
process.exit(0);
`;

export async function profileGateway(): Promise<GatewayProfile> {
  const entry = (await lambdaEntries()).find((e) => e.name === 'gateway');
  if (!entry) throw new Error('no gateway entry');
  const { file } = await bundleEntry(entry);
  const dynamo = await startDynamoLocalProcess({ inMemory: true });
  const moto = await startMoto();
  try {
    const creds = { accessKeyId: 'bench', secretAccessKey: 'bench' };
    const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: creds });
    await ensureTable(ddb, TABLE);
    ddb.destroy();
    const sqs = new SQSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: creds });
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-gateway-work' }));
    sqs.destroy();
    const env = {
      PATH: process.env.PATH ?? '',
      ...DUMMY_ENV,
      TABLE_NAME: TABLE,
      WORK_QUEUE_URL: queue.QueueUrl ?? '',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SQS_ENDPOINT: moto.endpoint,
      SECRETSMANAGER_ENDPOINT: moto.endpoint,
      LOG_LEVEL: 'info',
    };
    return await runDriver(file, env);
  } finally {
    await moto.stop();
    await dynamo.stop();
  }
}

async function runDriver(file: string, env: Record<string, string>): Promise<GatewayProfile> {
  const args = ['--expose-gc', '--input-type=module', '-e', DRIVER, file, EVENT_FILE];
  // the info logs go to stdout in Lambda; the driver writes its result last, after them
  const { code, out, err } = await runNodeChild([...args, String(LARGE_TASKS), String(LARGE_TEXT_BYTES)], {
    env,
    timeoutMs: 300_000,
  });
  const json = out.slice(out.lastIndexOf('{"rss"'));
  if (code !== 0 || !json.startsWith('{')) {
    throw new Error(`gateway profile failed (${code}): ${err.trim().slice(-400)}`);
  }
  return JSON.parse(json) as GatewayProfile;
}

export function gatewayMemoryRows(section: string, p: GatewayProfile): BenchRow[] {
  const chosen = deployedMemoryMb('gateway');
  const cpu = Object.entries(p.cpuMs)
    .map(([kind, ms]) => `${kind} ${round(ms, 2)} ms (×${p.counts[kind]})`)
    .join(', ');
  return [
    {
      section,
      metric: 'gateway Lambda handler: peak RSS under a burst',
      value: round(p.rss.peak, 0),
      unit: 'MB',
      target: {
        kind: 'max',
        value: chosen / 2,
        label: `≤ ${chosen / 2} MB (half of the ${chosen} MB deployed)`,
      },
      note: `Node alone ${round(p.rss.boot, 0)} MB, after import + wiring ${round(p.rss.imported, 0)} MB, warm ${round(p.rss.warm, 0)} MB (heap ${round(p.heap.warm, 0)} MB), heap peak ${round(p.heap.peak, 0)} MB; largest ListTasks answer ${round(p.listBytes / 1024 / 1024, 2)} MB`,
    },
    {
      section,
      metric: 'gateway Lambda handler: CPU per SendMessage',
      value: round(p.cpuMs.SendMessage ?? Number.NaN, 2),
      unit: 'ms',
      note: `${cpu}; on a full core of this machine — at ${chosen} MB Lambda gives ${round(chosen / 1769, 2)} vCPU, so CPU time stretches by ${round(1769 / chosen, 1)}×`,
    },
  ];
}

/** Kept for the notes: how the profile was taken. */
export const GATEWAY_MEMORY_METHOD = `The gateway Lambda profile: the bundled gateway entry (as above) imported in a fresh \`node --expose-gc\` process with the env of a deployment pointed at DynamoDB Local and moto's SQS, then invoked directly with the recorded API Gateway HTTP API event (authorizer context included), one invocation at a time as one Lambda instance serves them: 30 SendMessage, 30 GetTask and a ListTasks to warm up, then 200 SendMessage (returnImmediately, one short text part), 200 GetTask, ${LARGE_TASKS} SendMessage of a ${LARGE_TEXT_BYTES / 1024} KB text part and 10 ListTasks of pageSize ${LARGE_TASKS} over those large tasks (the page's byte budget applies). Peak RSS is the process's maxRSS (the kernel's high-water mark, which is what Lambda's memory limit holds against); the heap peak is read after each invocation (so it misses what a response held while it was written). CPU is process.cpuUsage over each group divided by its count, on this machine's full core; logs at info. Streams (the gateway-stream function) are not in this profile.`;
