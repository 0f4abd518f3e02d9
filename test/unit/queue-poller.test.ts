import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InProcessQueue } from '../../adapters/memory/in-process-queue';
import {
  type QueuePoller,
  type QueuePollerLogger,
  startQueuePoller,
} from '../../workers/runtime/queue-poller';
import type { SQSBatchHandler, SQSBatchResponse, SQSEvent } from '../../workers/runtime/sqs-event';

const pollers: QueuePoller[] = [];
const queues: InProcessQueue[] = [];

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  for (const queue of queues.splice(0)) queue.close();
});

function makeQueue(): InProcessQueue {
  const queue = new InProcessQueue({ visibilityTimeoutSeconds: 1 });
  queues.push(queue);
  return queue;
}

function poll(queue: InProcessQueue, handler: SQSBatchHandler, logger?: QueuePollerLogger): QueuePoller {
  const poller = startQueuePoller({
    queue,
    handler,
    batchSize: 10,
    waitSeconds: 1,
    ...(logger === undefined ? {} : { logger }),
  });
  pollers.push(poller);
  return poller;
}

/** A handler that records every event and answers with `respond`. */
function recordingHandler(respond: (event: SQSEvent) => SQSBatchResponse | undefined = () => undefined) {
  const events: SQSEvent[] = [];
  const handler: SQSBatchHandler = async (event) => {
    events.push(event);
    return respond(event);
  };
  const bodies = () => events.map((event) => event.Records.map((record) => record.body));
  return { events, handler, bodies };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const silentLogger = (): QueuePollerLogger => ({ warn: vi.fn(), error: vi.fn() });

describe('startQueuePoller', () => {
  it('hands a batch to the handler as an SQS event and deletes it when the handler succeeds', async () => {
    const queue = makeQueue();
    const sentBefore = Date.now();
    await queue.send('{"taskId":"t-1"}', { attributes: { traceparent: '00-trace-span-01' } });
    const { events, handler } = recordingHandler();
    poll(queue, handler);

    await vi.waitFor(() => expect(queue.approximateCount()).toBe(0));
    expect(events).toHaveLength(1);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      body: '{"taskId":"t-1"}',
      eventSource: 'aws:sqs',
      awsRegion: 'us-east-1',
      md5OfBody: createHash('md5').update('{"taskId":"t-1"}').digest('hex'),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { traceparent: { stringValue: '00-trace-span-01', dataType: 'String' } },
    });
    expect(record?.messageId).toEqual(expect.any(String));
    expect(record?.receiptHandle).toEqual(expect.any(String));
    expect(Number(record?.attributes.SentTimestamp)).toBeGreaterThanOrEqual(sentBefore);
  });

  it('deletes the records that succeeded and redelivers only the reported failure', async () => {
    const queue = makeQueue();
    for (const body of ['a', 'b', 'c']) await queue.send(body);
    let failB = true;
    const { events, handler, bodies } = recordingHandler((event) => {
      const b = event.Records.find((record) => record.body === 'b');
      if (!failB || b === undefined) return { batchItemFailures: [] };
      failB = false;
      return { batchItemFailures: [{ itemIdentifier: b.messageId }] };
    });
    poll(queue, handler, silentLogger());

    await vi.waitFor(() => expect(queue.approximateCount()).toBe(0), { timeout: 5_000 });
    expect(bodies()).toEqual([['a', 'b', 'c'], ['b']]);
    expect(events[1]?.Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('redelivers the whole batch when the handler throws', async () => {
    const queue = makeQueue();
    for (const body of ['a', 'b']) await queue.send(body);
    let calls = 0;
    const { events, handler, bodies } = recordingHandler(() => {
      calls += 1;
      if (calls === 1) throw new Error('model unavailable');
      return undefined;
    });
    const logger = silentLogger();
    poll(queue, handler, logger);

    await vi.waitFor(() => expect(queue.approximateCount()).toBe(0), { timeout: 5_000 });
    expect(bodies()).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(events[1]?.Records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error) }),
      expect.stringContaining('whole batch'),
    );
  });

  it('treats a failure naming a message that is not in the batch as a failure of the whole batch', async () => {
    const queue = makeQueue();
    for (const body of ['a', 'b']) await queue.send(body);
    let first = true;
    const { handler, bodies } = recordingHandler(() => {
      if (!first) return undefined;
      first = false;
      return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
    });
    poll(queue, handler, silentLogger());

    await vi.waitFor(() => expect(queue.approximateCount()).toBe(0), { timeout: 5_000 });
    expect(bodies()).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('finishes the batch in progress before stop() resolves', async () => {
    const queue = makeQueue();
    await queue.send('slow');
    const release = deferred();
    const started = deferred();
    const poller = poll(queue, async () => {
      started.resolve();
      await release.promise;
      return { batchItemFailures: [] };
    });
    await started.promise;

    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(queue.approximateCount()).toBe(0);
  });

  it('stops without sitting out an open long poll, and hands nothing received afterwards to the handler', async () => {
    const queue = makeQueue();
    const { events, handler } = recordingHandler();
    const polling = deferred();
    const receive = queue.receive.bind(queue);
    queue.receive = (options) => {
      polling.resolve();
      return receive(options);
    };
    const poller = startQueuePoller({ queue, handler, batchSize: 10, waitSeconds: 20 });
    await polling.promise;

    await poller.stop();
    await queue.send('after stop');
    // the abandoned poll took the message and gives it straight back
    await vi.waitFor(async () => {
      expect(await receive({ maxMessages: 10, waitSeconds: 0 })).toMatchObject([
        { body: 'after stop', receiveCount: 2 },
      ]);
    });
    expect(events).toEqual([]);
  }, 10_000);

  it('keeps polling after a failed receive', async () => {
    const queue = makeQueue();
    await queue.send('eventually');
    const receive = queue.receive.bind(queue);
    let failures = 0;
    queue.receive = async (options) => {
      if (failures === 0) {
        failures += 1;
        throw new Error('connection reset');
      }
      return receive(options);
    };
    const { bodies, handler } = recordingHandler();
    const logger = silentLogger();
    pollers.push(
      startQueuePoller({ queue, handler, batchSize: 10, waitSeconds: 1, logger, retryDelayMs: 10 }),
    );

    await vi.waitFor(() => expect(bodies()).toEqual([['eventually']]));
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error) }),
      expect.any(String),
    );
  });

  it('refuses a batch larger than one receive (10) and a wait above 20 s', () => {
    const queue = makeQueue();
    const { handler } = recordingHandler();
    expect(() => startQueuePoller({ queue, handler, batchSize: 11, waitSeconds: 1 })).toThrow(/batchSize/);
    expect(() => startQueuePoller({ queue, handler, batchSize: 10, waitSeconds: 21 })).toThrow(/waitSeconds/);
  });
});

describe('startQueuePoller over a long run', () => {
  it('leaves nothing behind per receive (no promise collects a reaction for every poll)', async () => {
    const { createHook } = await import('node:async_hooks');
    const queue = makeQueue();
    const { handler, events } = recordingHandler();
    // Counts the promises chained on each promise while the poller runs.
    const chainedOn = new Map<number, number>();
    const hook = createHook({
      init(_id, type, trigger) {
        if (type === 'PROMISE') chainedOn.set(trigger, (chainedOn.get(trigger) ?? 0) + 1);
      },
    });
    const poller = startQueuePoller({ queue, handler, batchSize: 1, waitSeconds: 1 });
    pollers.push(poller);
    hook.enable();
    try {
      for (let i = 0; i < 200; i++) await queue.send(`m${i}`);
      await vi.waitFor(() => expect(events).toHaveLength(200), { timeout: 10_000 });
    } finally {
      hook.disable();
    }
    // Before: Promise.race([receive, stopped]) chained one reaction per receive onto `stopped`,
    // held until the poller stopped.
    expect(Math.max(...chainedOn.values())).toBeLessThan(50);
  });
});
