/**
 * The run's view of the durable checkpointer. Before LangGraph persists anything (pending writes
 * of a finished task, a step's checkpoint) it waits until every A2A event the graph produced so
 * far is in the task's log: events are never behind durable graph state, so a resumed run never
 * skips events (and re-produced ones are dropped by their keys, see TaskLog). The same hooks
 * check that the run may go on (cancel request, lost lease): at the latest, a run stops at the
 * end of the step it is in. Each checkpoint carries the run's turn in its metadata
 * (`a2a_turn`), and each stored step moves the run's step counter.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointTuple,
} from '@langchain/langgraph';

type PendingWrite = Parameters<BaseCheckpointSaver['putWrites']>[1][number];
type ChannelVersions = Parameters<BaseCheckpointSaver['put']>[3];
type ListOptions = Parameters<BaseCheckpointSaver['list']>[1];

export const TURN_METADATA_KEY = 'a2a_turn';

export interface RunCheckpointerHooks {
  /** before a task's pending writes: resolves when the events produced so far are appended */
  beforeWrites(): Promise<void>;
  /** before a step's checkpoint; throws to stop the run */
  beforePut(): Promise<void>;
  /** a root-graph checkpoint of `step` is stored */
  afterPut(step: number): void;
  turn: string;
}

export class RunCheckpointer extends BaseCheckpointSaver {
  constructor(
    private readonly inner: BaseCheckpointSaver,
    private readonly hooks: RunCheckpointerHooks,
  ) {
    super(inner.serde);
  }

  getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    return this.inner.getTuple(config);
  }

  list(config: RunnableConfig, options?: ListOptions): AsyncGenerator<CheckpointTuple> {
    return this.inner.list(config, options);
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    await this.hooks.beforePut();
    const stamped = { ...metadata, [TURN_METADATA_KEY]: this.hooks.turn } as CheckpointMetadata;
    const stored = await this.inner.put(config, checkpoint, stamped, newVersions);
    const ns = config.configurable?.checkpoint_ns;
    if (ns === undefined || ns === '') this.hooks.afterPut(metadata.step);
    return stored;
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    await this.hooks.beforeWrites();
    await this.inner.putWrites(config, writes, taskId);
  }

  deleteThread(threadId: string): Promise<void> {
    return this.inner.deleteThread(threadId);
  }

  override getNextVersion(current: number | undefined): number {
    return this.inner.getNextVersion(current);
  }
}
