/** In-memory twin of DynamoTaskStore, with the same semantics (see the TaskStore contract suite). */
import { type Clock, systemClock } from '../../core/ports/clock';
import type {
  CommitInput,
  CreateTaskInput,
  CreateTaskResult,
  LeaseRequest,
  ListTasksPage,
  ListTasksQuery,
  StoredPushConfig,
  TaskStore,
} from '../../core/ports/task-store';
import { type RequestContext, tenantOf } from '../../core/context';
import { InvalidParamsError, ItemTooLargeError, VersionConflictError } from '../../core/errors';
import type { Lease, StoredEvent, TaskRecord } from '../../core/task-record';
import { decodePageToken, encodePageToken, statusSortKey } from '../shared/list-page-token';
import { MAX_ITEM_BYTES, itemBytes } from '../shared/item-size';

interface Entry {
  task: TaskRecord;
  events: StoredEvent[];
  configs: Map<string, StoredPushConfig>;
}

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, Entry>();
  private readonly messages = new Map<string, string>();

  constructor(private readonly clock: Clock = systemClock) {}

  private key = (ctx: RequestContext, id: string) => `${tenantOf(ctx)}\u0000${id}`;

  private live(ctx: RequestContext, taskId: string): Entry | undefined {
    const e = this.tasks.get(this.key(ctx, taskId));
    if (!e) return undefined;
    if (e.task.expiresAt !== undefined && e.task.expiresAt * 1000 <= this.clock.now()) return undefined;
    return e;
  }

  async create(ctx: RequestContext, input: CreateTaskInput): Promise<CreateTaskResult> {
    const msgKey = this.key(ctx, input.idempotencyKey);
    const existing = this.messages.get(msgKey);
    if (existing !== undefined) {
      const e = this.live(ctx, existing);
      if (e) return { created: false, task: clone(e.task) };
    }
    checkSize(input.task);
    const configs = new Map<string, StoredPushConfig>();
    for (const c of input.pushConfigs ?? []) configs.set(c.config.id ?? '', clone(c));
    this.tasks.set(this.key(ctx, input.task.id), {
      task: clone({ ...input.task, tenant: tenantOf(ctx) }),
      events: clone(input.events),
      configs,
    });
    this.messages.set(msgKey, input.task.id);
    return { created: true, task: clone(input.task) };
  }

  async get(ctx: RequestContext, taskId: string): Promise<TaskRecord | undefined> {
    const e = this.live(ctx, taskId);
    return e ? clone(e.task) : undefined;
  }

  async commit(ctx: RequestContext, input: CommitInput): Promise<TaskRecord> {
    const e = this.live(ctx, input.taskId);
    if (!e || e.task.version !== input.expectedVersion) {
      throw new VersionConflictError(input.taskId, input.expectedVersion);
    }
    const msgKey = input.idempotencyKey === undefined ? undefined : this.key(ctx, input.idempotencyKey);
    if (msgKey !== undefined && this.messages.has(msgKey)) {
      throw new VersionConflictError(input.taskId, input.expectedVersion);
    }
    assertSequence(input);
    // Control fields (lease, cancelRequested) are never overwritten by a commit.
    const next: TaskRecord = { ...clone(input.next), tenant: tenantOf(ctx) };
    delete next.lease;
    delete next.cancelRequested;
    if (e.task.lease) next.lease = e.task.lease;
    if (e.task.cancelRequested) next.cancelRequested = true;
    checkSize(next);
    e.task = next;
    e.events.push(...clone(input.events));
    if (msgKey !== undefined) this.messages.set(msgKey, input.taskId);
    return clone(next);
  }

  async readEvents(ctx: RequestContext, taskId: string, afterSeq: number, limit = 1000): Promise<StoredEvent[]> {
    const e = this.live(ctx, taskId);
    if (!e) return [];
    return clone(e.events.filter((ev) => ev.seq > afterSeq).slice(0, limit));
  }

  async list(ctx: RequestContext, q: ListTasksQuery): Promise<ListTasksPage> {
    const tenant = tenantOf(ctx);
    const after = q.pageToken === undefined ? undefined : decodePageToken(q.pageToken);
    const all = [...this.tasks.values()]
      .map((e) => e.task)
      .filter(
        (t) =>
          t.tenant === tenant &&
          !t.directReply &&
          (t.expiresAt === undefined || t.expiresAt * 1000 > this.clock.now()) &&
          (q.contextId === undefined || t.contextId === q.contextId) &&
          (q.status === undefined || t.status.state === q.status) &&
          (q.statusTimestampAfter === undefined || statusSortKey(t) >= sortFloor(q.statusTimestampAfter)),
      )
      .sort((a, b) => (statusSortKey(a) < statusSortKey(b) ? 1 : -1));
    const start = after === undefined ? 0 : all.findIndex((t) => statusSortKey(t) < after);
    const rest = start < 0 ? [] : all.slice(start);
    const page = rest.slice(0, q.pageSize);
    const last = page[page.length - 1];
    const more = rest.length > page.length && last !== undefined;
    return {
      tasks: clone(page),
      nextPageToken: more ? encodePageToken(statusSortKey(last)) : '',
      totalSize: all.length,
    };
  }

  async findByMessageId(ctx: RequestContext, messageId: string): Promise<string | undefined> {
    return this.messages.get(this.key(ctx, messageId));
  }

  async acquireLease(ctx: RequestContext, req: LeaseRequest): Promise<TaskRecord | undefined> {
    const e = this.live(ctx, req.taskId);
    if (!e) return undefined;
    if (e.task.lease && e.task.lease.until > req.now && e.task.lease.owner !== req.lease.owner) return undefined;
    e.task.lease = { ...req.lease };
    return clone(e.task);
  }

  async renewLease(ctx: RequestContext, taskId: string, lease: Lease): Promise<boolean> {
    const e = this.live(ctx, taskId);
    if (!e || e.task.lease?.owner !== lease.owner) return false;
    e.task.lease = { ...lease };
    return true;
  }

  async releaseLease(ctx: RequestContext, taskId: string, owner: string): Promise<void> {
    const e = this.live(ctx, taskId);
    if (e?.task.lease?.owner === owner) delete e.task.lease;
  }

  async requestCancel(ctx: RequestContext, taskId: string): Promise<void> {
    const e = this.live(ctx, taskId);
    if (e) e.task.cancelRequested = true;
  }

  async putPushConfig(ctx: RequestContext, taskId: string, config: StoredPushConfig): Promise<void> {
    const e = this.live(ctx, taskId);
    if (!e) throw new VersionConflictError(taskId, -1);
    e.configs.set(config.config.id ?? '', clone(config));
  }

  async getPushConfig(ctx: RequestContext, taskId: string, id: string): Promise<StoredPushConfig | undefined> {
    const c = this.live(ctx, taskId)?.configs.get(id);
    return c ? clone(c) : undefined;
  }

  async listPushConfigs(ctx: RequestContext, taskId: string): Promise<StoredPushConfig[]> {
    const e = this.live(ctx, taskId);
    if (!e) return [];
    return clone([...e.configs.values()].sort((a, b) => (a.config.id ?? '').localeCompare(b.config.id ?? '')));
  }

  async deletePushConfig(ctx: RequestContext, taskId: string, id: string): Promise<void> {
    this.live(ctx, taskId)?.configs.delete(id);
  }
}

function assertSequence(input: CommitInput): void {
  input.events.forEach((ev, i) => {
    if (ev.seq !== input.expectedVersion + i + 1 || input.next.version !== input.expectedVersion + input.events.length) {
      throw new Error(`commit of task ${input.taskId} has out-of-sequence events`);
    }
  });
}

function checkSize(task: TaskRecord): void {
  const bytes = itemBytes(task);
  if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(bytes, MAX_ITEM_BYTES);
}

function sortFloor(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidParamsError('statusTimestampAfter is not a valid timestamp');
  return new Date(ms).toISOString();
}
