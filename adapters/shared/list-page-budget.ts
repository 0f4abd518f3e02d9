/**
 * Fills a ListTasks page within its byte budget, shared by both stores. The candidates (index
 * entries, newest first, at most pageSize) are read in chunks; each record is trimmed to the view
 * at once and measured as the JSON of the Task the answer will carry; reading stops as soon as a
 * task would take the page past the budget. So a request holds at most the page (about the budget)
 * plus one chunk of full records: the first chunk has as many records as the budget holds at the
 * item limit, later ones are sized from the records seen so far (DynamoDB's BatchGetItem answers
 * at most 16 MB, whatever the chunk). The first task always comes back, even alone over budget.
 */
import type { ListTasksQuery } from '../../core/ports/task-store';
import { type TaskRecord, toTask, trimToView } from '../../core/task-record';
import { itemBytes, MAX_ITEM_BYTES } from './item-size';

/** A candidate of the page: where it sorts, so a cut page can name its cursor. */
export interface PageEntry {
  sort: string;
}

export interface FilledPage<E> {
  tasks: TaskRecord[];
  /** set when the budget cut the page: the last entry it consumed (the next page starts after it) */
  cutAfter?: E;
}

/** Records of a chunk of entries, in order; undefined where the record is gone (expired, deleted). */
export type ReadChunk<E> = (chunk: readonly E[]) => Promise<(TaskRecord | undefined)[]>;

const MAX_CHUNK = 100;

export async function fillPage<E extends PageEntry>(
  entries: readonly E[],
  read: ReadChunk<E>,
  q: Pick<ListTasksQuery, 'view' | 'maxBytes'>,
): Promise<FilledPage<E>> {
  const view = q.view ?? {};
  const budget = q.maxBytes;
  const tasks: TaskRecord[] = [];
  if (budget === undefined) {
    for (const r of await read(entries)) if (r !== undefined) tasks.push(trimToView(r, view));
    return { tasks };
  }
  let used = 0;
  let heldBytes = 0;
  let readCount = 0;
  let chunk = clamp(Math.floor(budget / MAX_ITEM_BYTES));
  for (let i = 0; i < entries.length; ) {
    const slice = entries.slice(i, i + chunk);
    const records = await read(slice);
    for (let j = 0; j < slice.length; j++) {
      const record = records[j];
      if (record === undefined) continue;
      heldBytes += itemBytes(record);
      readCount += 1;
      const trimmed = trimToView(record, view);
      const bytes = itemBytes(toTask(trimmed, view));
      if (tasks.length > 0 && used + bytes > budget) {
        const cutAfter = entries[i + j - 1];
        return cutAfter === undefined ? { tasks } : { tasks, cutAfter };
      }
      tasks.push(trimmed);
      used += bytes;
    }
    i += slice.length;
    const perTask = Math.max(1, used / Math.max(1, tasks.length));
    const perRecord = Math.max(1, heldBytes / Math.max(1, readCount));
    chunk = clamp(Math.min(Math.ceil((budget - used) / perTask), Math.floor(budget / perRecord)));
  }
  return { tasks };
}

const clamp = (n: number): number => Math.min(MAX_CHUNK, Math.max(1, Number.isFinite(n) ? n : 1));
