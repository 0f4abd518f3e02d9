/**
 * Push notifications through the local stack to a loopback receiver: tasks sent with an inline
 * push config, each event's append time (`at` in the log) against its arrival at the receiver.
 */
import { type BenchStack, benchMessage } from './bench-stack';
import { until } from './bench-types';
import { startTimingReceiver } from './timing-receiver';

export interface PushRun {
  /** ms from append to first arrival, one per delivered event */
  latencies: number[];
  delivered: number;
  expected: number;
  /** first send to last arrival */
  seconds: number;
}

export interface PushRunOptions {
  tasks: number;
  /** loops sending tasks at the same time */
  concurrency: number;
  /** each loop waits for a task's last event to arrive before it sends the next (latency) */
  paced: boolean;
  timeoutMs: number;
}

/** Echo tasks log 4 events: SUBMITTED, WORKING, the artifact, COMPLETED. */
const EVENTS_PER_TASK = 4;

/** What a run sends through: the echo agent's JSON-RPC, and its stored events where they can be read. */
export type PushTarget = Pick<BenchStack, 'rpc'> & Partial<Pick<BenchStack, 'events'>>;

/**
 * Sends tasks with an inline push config from `concurrency` loops; waits for every event to arrive.
 * Latencies need the events' append times: a target in another process gives none.
 */
export async function runPushes(b: PushTarget, o: PushRunOptions): Promise<PushRun> {
  const { tasks, concurrency, paced, timeoutMs } = o;
  const receiver = await startTimingReceiver();
  try {
    const taskIds: string[] = [];
    const started = Date.now();
    let next = 0;
    const loop = async () => {
      while (next < tasks) {
        next += 1;
        const answer = await b.rpc('SendMessage', {
          message: benchMessage('push me'),
          configuration: { returnImmediately: true, taskPushNotificationConfig: { url: receiver.url } },
        });
        const id = (answer.result?.task as { id?: string } | undefined)?.id;
        if (!id) throw new Error(`SendMessage failed: ${JSON.stringify(answer.error ?? answer)}`);
        taskIds.push(id);
        if (paced) {
          const done = () => receiver.firstOk.has(`${id}#${EVENTS_PER_TASK}`);
          await until(done, timeoutMs, 2);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    const expected = taskIds.length * EVENTS_PER_TASK;
    await until(() => receiver.firstOk.size >= expected, timeoutMs, 10);
    const arrived = receiver.firstOk;
    const latencies: number[] = [];
    if (b.events) {
      for (const taskId of taskIds) {
        for (const event of await b.events(taskId)) {
          const at = arrived.get(`${taskId}#${event.seq}`);
          if (at !== undefined) latencies.push(at - Date.parse(event.at));
        }
      }
    }
    const last = Math.max(...arrived.values());
    return { latencies, delivered: arrived.size, expected, seconds: (last - started) / 1000 };
  } finally {
    await receiver.close();
  }
}
