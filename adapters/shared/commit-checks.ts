/** The checks both task stores make before a create or commit writes anything. */
import { ItemTooLargeError } from '../../core/errors';
import type { CommitInput } from '../../core/ports/task-store';
import { itemBytes, MAX_ITEM_BYTES } from './item-size';

/** Events must continue the log without gaps, and next.version must be the last seq. */
export function assertSequence(input: CommitInput): void {
  const ok =
    input.next.version === input.expectedVersion + input.events.length &&
    input.events.every((ev, i) => ev.seq === input.expectedVersion + i + 1);
  if (!ok) throw new Error(`commit of task ${input.taskId} has out-of-sequence events`);
}

/** Before any write, so an oversized input never leaves a partial task. The size of each value. */
export function checkSizes(values: unknown[]): number[] {
  return values.map((value) => {
    const bytes = itemBytes(value);
    if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(bytes, MAX_ITEM_BYTES);
    return bytes;
  });
}
