/**
 * What a run hands the graph, from what is durable: the thread's latest checkpoint and the task's
 * event cursor. Pure, so every crash window has a test.
 * - no checkpoint: start the turn with its input (or, if the graph ran before, its state is gone);
 * - an idle graph that already took this turn (its checkpoint is stamped with it): just finish;
 * - the task asked the user about an interrupt in an earlier turn, and the node that raised it
 *   has not consumed an answer to that ask yet: resume it with this turn's reply. The interrupt
 *   need not be stored yet (INPUT_REQUIRED may have been appended just before a crash);
 * - work left (tasks to run, run but not checkpointed, or an interrupt not reported yet):
 *   continue from the checkpoint (null input);
 * - an idle graph from an earlier turn: start the turn with its input.
 */
export type InputDecision =
  | { action: 'input' }
  | { action: 'resume'; interruptId: string }
  | { action: 'continue' }
  | { action: 'finish' }
  | { action: 'lost' };

export interface GraphPosition {
  hasCheckpoint: boolean;
  /** the turn stamped on the latest checkpoint */
  stampedTurn?: string | undefined;
  /**
   * the tasks of the step after the latest checkpoint: to run, or run already (their writes are
   * stored) but not yet folded into a checkpoint. Empty only when the graph has nothing left.
   */
  pending: readonly string[];
  /** ids of the stored interrupts */
  interrupts: readonly string[];
  /** per interrupt id: how many answers the node that raised it has consumed (stored resume values) */
  answered: Readonly<Record<string, number>>;
}

export interface TaskPosition {
  turn: string;
  /** the task has appended graph events before (its cursor exists) */
  ranBefore: boolean;
  asked?: { id: string; turn: string; asks: number };
}

export function decideInput(graph: GraphPosition, task: TaskPosition): InputDecision {
  if (!graph.hasCheckpoint) return task.ranBefore ? { action: 'lost' } : { action: 'input' };
  const idle = graph.pending.length === 0 && graph.interrupts.length === 0;
  if (idle && graph.stampedTurn === task.turn) return { action: 'finish' };
  const { asked } = task;
  if (asked !== undefined && asked.turn !== task.turn && (graph.answered[asked.id] ?? 0) < asked.asks) {
    return { action: 'resume', interruptId: asked.id };
  }
  return idle ? { action: 'input' } : { action: 'continue' };
}
