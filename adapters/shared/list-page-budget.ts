/**
 * Fills a ListTasks page within its byte budget, shared by both stores. The candidates (index
 * entries, newest first, at most pageSize) are read in chunks; each record is trimmed to the view
 * at once and measured as the JSON of the Task the answer will carry; reading stops as soon as a
 * task would take the page past the budget. So a request holds at most the page (about the budget)
 * plus one chunk of full records: a chunk has as many records as the budget holds at the size the
 * reader reports for the records read so far (at the item limit until it reports one; DynamoDB's
 * BatchGetItem answers at most 16 MB, whatever the chunk). The first task always comes back, even
 * alone over the budget.
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

/**
 * Records of a chunk of entries, in order, undefined where the record is gone (expired, deleted),
 * and the bytes the reader held to produce them (0 when it holds nothing more, like the memory
 * twin; absent when unknown: each record is then assumed at the item limit).
 */
export type ReadChunk<E> = (
  chunk: readonly E[],
) => Promise<{ records: (TaskRecord | undefined)[]; heldBytes?: number }>;

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
    for (const r of (await read(entries)).records) if (r !== undefined) tasks.push(trimToView(r, view));
    return { tasks };
  }
  let used = 0;
  let heldBytes = 0;
  let readCount = 0;
  let chunk = clamp(Math.floor(budget / MAX_ITEM_BYTES));
  for (let i = 0; i < entries.length; ) {
    const slice = entries.slice(i, i + chunk);
    const out = await read(slice);
    heldBytes += out.heldBytes ?? slice.length * MAX_ITEM_BYTES;
    readCount += slice.length;
    for (let j = 0; j < slice.length; j++) {
      const record = out.records[j];
      if (record === undefined) continue;
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
    const perRecord = heldBytes / Math.max(1, readCount);
    const byHold = perRecord > 0 ? Math.floor(budget / perRecord) : MAX_CHUNK;
    chunk = clamp(Math.min(Math.ceil((budget - used) / perTask), byHold));
  }
  return { tasks };
}

const clamp = (n: number): number => Math.min(MAX_CHUNK, Math.max(1, Number.isFinite(n) ? n : 1));
