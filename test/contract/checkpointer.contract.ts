/**
 * The checkpointer contract: one suite for DynamoCheckpointer on DynamoDB Local
 * (test/integration/dynamo-checkpointer.test.ts) and its twin MemoryCheckpointer
 * (test/unit/memory-checkpointer.test.ts). LangGraph semantics, tenant scoping, item size, TTL.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  Annotation,
  type BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointMetadata,
  Command,
  END,
  interrupt,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { CheckpointTooLargeError, MAX_CHECKPOINT_BYTES } from '../../adapters/shared/checkpoint-records';
import { type TestClock, uniqueId } from '../support/factories';

export interface CheckpointerFixture {
  saver(tenant: string): BaseCheckpointSaver;
  clock: TestClock;
  ttlSeconds: number;
}

/** Checkpoint ids that sort like LangGraph's (uuid6, time first). */
const cpId = (n: number) => `1f000000-0000-6000-8000-${String(n).padStart(12, '0')}`;
const checkpoint = (n: number, values: Record<string, unknown> = { n }): Checkpoint => ({
  v: 4,
  id: cpId(n),
  ts: new Date(1_767_225_600_000 + n).toISOString(),
  channel_values: values,
  channel_versions: { n },
  versions_seen: {},
});
const metadata = (step: number, extra: Record<string, unknown> = {}) =>
  ({ source: 'loop', step, parents: {}, ...extra }) as CheckpointMetadata;
const thread = (threadId: string, extra: Record<string, string> = {}): RunnableConfig => ({
  configurable: { thread_id: threadId, checkpoint_ns: '', ...extra },
});

async function putChain(
  saver: BaseCheckpointSaver,
  threadId: string,
  ns: string,
  ns0: number,
  count: number,
) {
  let parent: string | undefined;
  for (let n = ns0; n < ns0 + count; n++) {
    const config = thread(threadId, { checkpoint_ns: ns, ...(parent ? { checkpoint_id: parent } : {}) });
    await saver.put(config, checkpoint(n), metadata(n, { kind: n % 2 === 0 ? 'even' : 'odd' }), {});
    parent = cpId(n);
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function checkpointerContract(name: string, make: () => Promise<CheckpointerFixture>): void {
  describe(`Checkpointer contract: ${name}`, () => {
    const setup = async () => {
      const f = await make();
      const tenant = uniqueId('tenant');
      return { ...f, tenant, saver: f.saver(tenant), threadId: uniqueId('task') };
    };

    it('returns nothing for a thread without checkpoints', async () => {
      const { saver, threadId } = await setup();
      expect(await saver.getTuple(thread(threadId))).toBeUndefined();
      expect(await collect(saver.list(thread(threadId)))).toEqual([]);
    });

    it('returns the newest checkpoint, or one by id, with its metadata and parent', async () => {
      const { saver, threadId } = await setup();
      await putChain(saver, threadId, '', 1, 3);
      const latest = await saver.getTuple(thread(threadId));
      expect(latest?.checkpoint).toMatchObject({ id: cpId(3), channel_values: { n: 3 } });
      expect(latest?.metadata).toMatchObject({ source: 'loop', step: 3, kind: 'odd' });
      expect(latest?.config.configurable).toMatchObject({ thread_id: threadId, checkpoint_id: cpId(3) });
      expect(latest?.parentConfig?.configurable?.checkpoint_id).toBe(cpId(2));
      const first = await saver.getTuple(thread(threadId, { checkpoint_id: cpId(1) }));
      expect(first?.checkpoint.id).toBe(cpId(1));
      expect(first?.parentConfig).toBeUndefined();
      expect(await saver.getTuple(thread(threadId, { checkpoint_id: cpId(9) }))).toBeUndefined();
    });

    it('lists newest first, honouring before, limit and a metadata filter', async () => {
      const { saver, threadId } = await setup();
      await putChain(saver, threadId, '', 1, 5);
      const ids = async (options?: Parameters<BaseCheckpointSaver['list']>[1]) =>
        (await collect(saver.list(thread(threadId), options))).map((t) => t.checkpoint.id);
      expect(await ids()).toEqual([5, 4, 3, 2, 1].map(cpId));
      expect(await ids({ limit: 2 })).toEqual([cpId(5), cpId(4)]);
      expect(await ids({ before: thread(threadId, { checkpoint_id: cpId(4) }) })).toEqual(
        [3, 2, 1].map(cpId),
      );
      expect(await ids({ filter: { kind: 'even' } })).toEqual([cpId(4), cpId(2)]);
    });

    it('returns pending writes with their checkpoint: regular writes keep the first value, special ones are replaced', async () => {
      const { saver, threadId } = await setup();
      await putChain(saver, threadId, '', 1, 1);
      const at = thread(threadId, { checkpoint_id: cpId(1) });
      await saver.putWrites(
        at,
        [
          ['messages', 'first'],
          ['branch:to:b', null],
        ],
        'task-b',
      );
      await saver.putWrites(
        at,
        [
          ['messages', 'second'],
          ['branch:to:b', 'again'],
          ['late', 1],
        ],
        'task-b',
      );
      await saver.putWrites(at, [['__interrupt__', [{ id: 'i1', value: 'q1' }]]], 'task-a');
      await saver.putWrites(at, [['__interrupt__', [{ id: 'i2', value: 'q2' }]]], 'task-a');
      const tuple = await saver.getTuple(thread(threadId));
      expect(tuple?.pendingWrites).toEqual([
        ['task-a', '__interrupt__', [{ id: 'i2', value: 'q2' }]],
        ['task-b', 'messages', 'first'],
        ['task-b', 'branch:to:b', null],
        ['task-b', 'late', 1],
      ]);
    });

    it('keeps namespaces apart', async () => {
      const { saver, threadId } = await setup();
      await putChain(saver, threadId, '', 1, 2);
      await putChain(saver, threadId, 'child:1', 10, 1);
      expect((await saver.getTuple(thread(threadId)))?.checkpoint.id).toBe(cpId(2));
      const child = await saver.getTuple(thread(threadId, { checkpoint_ns: 'child:1' }));
      expect(child?.checkpoint.id).toBe(cpId(10));
      expect(child?.config.configurable?.checkpoint_ns).toBe('child:1');
      expect(await collect(saver.list(thread(threadId)))).toHaveLength(2);
    });

    it('keeps tenants apart, even for the same thread id', async () => {
      const f = await make();
      const [mine, theirs] = [f.saver(uniqueId('tenant')), f.saver(uniqueId('tenant'))];
      const threadId = uniqueId('task');
      await putChain(mine, threadId, '', 1, 1);
      expect(await theirs.getTuple(thread(threadId))).toBeUndefined();
      await theirs.deleteThread(threadId);
      expect((await mine.getTuple(thread(threadId)))?.checkpoint.id).toBe(cpId(1));
    });

    it('round-trips a checkpoint larger than a DynamoDB item', async () => {
      const { saver, threadId } = await setup();
      const big = 'é'.repeat(600_000); // 1.2 MB of UTF-8
      await saver.put(thread(threadId), checkpoint(1, { big }), metadata(1), {});
      await saver.putWrites(thread(threadId, { checkpoint_id: cpId(1) }), [['big', big]], 'task-a');
      const tuple = await saver.getTuple(thread(threadId));
      expect(tuple?.checkpoint.channel_values.big).toBe(big);
      expect(tuple?.pendingWrites).toEqual([['task-a', 'big', big]]);
    });

    it('refuses a checkpoint above the limit and keeps the newest one as it was', async () => {
      const { saver, threadId } = await setup();
      await putChain(saver, threadId, '', 1, 1);
      const huge = checkpoint(2, { huge: 'x'.repeat(MAX_CHECKPOINT_BYTES) });
      await expect(
        saver.put(thread(threadId, { checkpoint_id: cpId(1) }), huge, metadata(2), {}),
      ).rejects.toBeInstanceOf(CheckpointTooLargeError);
      expect((await saver.getTuple(thread(threadId)))?.checkpoint.id).toBe(cpId(1));
    });

    it('expires checkpoints and writes after their TTL', async () => {
      const { saver, threadId, clock, ttlSeconds } = await setup();
      await putChain(saver, threadId, '', 1, 1);
      clock.advance(ttlSeconds * 1000 - 1000);
      expect(await saver.getTuple(thread(threadId))).toBeDefined();
      clock.advance(1000);
      expect(await saver.getTuple(thread(threadId))).toBeUndefined();
      expect(await collect(saver.list(thread(threadId)))).toEqual([]);
    });

    it('deletes a thread', async () => {
      const { saver, threadId } = await setup();
      await putChain(saver, threadId, '', 1, 3);
      await saver.putWrites(thread(threadId, { checkpoint_id: cpId(3) }), [['a', 1]], 'task-a');
      await saver.deleteThread(threadId);
      expect(await saver.getTuple(thread(threadId))).toBeUndefined();
    });

    it('lets a graph resume from an interrupt with a new saver instance (a new process)', async () => {
      const f = await make();
      const tenant = uniqueId('tenant');
      const threadId = uniqueId('task');
      const State = Annotation.Root({
        log: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
      });
      const graph = new StateGraph(State)
        .addNode('ask', () => ({ log: [`answer:${String(interrupt('which?'))}`] }))
        .addNode('done', () => ({ log: ['done'] }))
        .addEdge(START, 'ask')
        .addEdge('ask', 'done')
        .addEdge('done', END);
      const cfg = thread(threadId);
      await graph.compile({ checkpointer: f.saver(tenant) }).invoke({ log: ['start'] }, cfg);
      const resumed = await graph
        .compile({ checkpointer: f.saver(tenant) })
        .invoke(new Command({ resume: 'EUR' }), cfg);
      expect(resumed.log).toEqual(['start', 'answer:EUR', 'done']);
    });
  });
}
