/** TaskStore contract, ListTasks: ordering, cursor pages, filters, totalSize, bad tokens. */
import { describe, expect, it } from 'vitest';
import { encodePageToken, statusSortKey } from '../../adapters/shared/list-page-token';
import { TaskState } from '../../core/a2a/task-state';
import { InvalidParamsError } from '../../core/errors';
import type { ListTasksQuery } from '../../core/ports/task-store';
import type { TaskRecord } from '../../core/task-record';
import { agentMessage, newTask, T0, textArtifact, userMessage } from '../support/factories';
import { type Harness, type MakeTaskStore, useHarness } from './task-store-harness';

const minute = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * minute).toISOString();

/** Creates tasks whose status timestamps are T0 + the given minutes; returns them newest first. */
async function seed(
  h: Harness,
  minutes: number[],
  overrides: Partial<TaskRecord> = {},
): Promise<TaskRecord[]> {
  const tasks: TaskRecord[] = [];
  for (const m of minutes) {
    const { task } = await h.create({
      createdAt: at(m),
      status: { state: TaskState.Submitted, timestamp: at(m) },
      ...overrides,
    });
    tasks.push(task);
  }
  return tasks.sort((a, b) => (statusSortKey(a) < statusSortKey(b) ? 1 : -1));
}

/** Follows nextPageToken to the end; returns the pages. */
async function allPages(h: Harness, query: ListTasksQuery): Promise<TaskRecord[][]> {
  const pages: TaskRecord[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await h.store.list(h.me, pageToken === undefined ? query : { ...query, pageToken });
    pages.push(page.tasks);
    pageToken = page.nextPageToken === '' ? undefined : page.nextPageToken;
    if (pages.length > 50) throw new Error('paging does not end');
  } while (pageToken !== undefined);
  return pages;
}

const ids = (tasks: TaskRecord[]) => tasks.map((t) => t.id);

export function listContract(make: MakeTaskStore): void {
  describe('list', () => {
    const h = useHarness(make);

    it('lists the agent’s tasks newest status first, without direct replies', async () => {
      const tasks = await seed(h, [3, 1, 4, 2]);
      await h.create({ agentId: 'other-agent' });
      const direct = newTask({
        tenant: h.me.principal.tenant,
        status: { state: TaskState.Completed, timestamp: at(9) },
      });
      await h.store.create(h.me, { ...direct, task: { ...direct.task, directReply: agentMessage('hi') } });
      const page = await h.store.list(h.me, { agentId: 'echo', pageSize: 10 });
      expect(ids(page.tasks)).toEqual(ids(tasks));
      expect(page.tasks[0]).toEqual(tasks[0]);
      expect(page).toMatchObject({ nextPageToken: '', totalSize: 4 });
    });

    it('pages with tokens without duplicates or omissions, ties included', async () => {
      const tasks = await seed(h, [5, 5, 5, 2, 7, 5, 1]);
      const pages = await allPages(h, { agentId: 'echo', pageSize: 2 });
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
      expect(ids(pages.flat())).toEqual(ids(tasks));
      const first = await h.store.list(h.me, { agentId: 'echo', pageSize: 2 });
      expect(first.totalSize).toBe(7);
    });

    it('ends with an empty token when the last page is exactly full', async () => {
      await seed(h, [1, 2, 3, 4]);
      const pages = await allPages(h, { agentId: 'echo', pageSize: 2 });
      expect(pages.map((p) => p.length)).toEqual([2, 2]);
    });

    it('filters by context', async () => {
      await seed(h, [1, 2]);
      const inContext = await seed(h, [3, 4, 5], { contextId: 'ctx-shared' });
      await h.create({ contextId: 'ctx-shared', agentId: 'other-agent' });
      const pages = await allPages(h, { agentId: 'echo', contextId: 'ctx-shared', pageSize: 2 });
      expect(ids(pages.flat())).toEqual(ids(inContext));
      const page = await h.store.list(h.me, { agentId: 'echo', contextId: 'ctx-shared', pageSize: 2 });
      expect(page.totalSize).toBe(3);
    });

    it('filters by status', async () => {
      const tasks = await seed(h, [1, 2, 3, 4, 5]);
      const started = [tasks[0], tasks[2], tasks[4]].map((t) => t?.id ?? '');
      for (const id of started)
        await h.append(id, [{ kind: 'status', status: { state: TaskState.Working, timestamp: at(10) } }]);
      const pages = await allPages(h, { agentId: 'echo', status: TaskState.Working, pageSize: 1 });
      expect(ids(pages.flat()).sort()).toEqual([...started].sort());
      const page = await h.store.list(h.me, { agentId: 'echo', status: TaskState.Submitted, pageSize: 10 });
      expect(page.totalSize).toBe(2);
      expect(ids(page.tasks)).toEqual([tasks[1]?.id, tasks[3]?.id]);
    });

    it('keeps tasks whose status timestamp is at or after statusTimestampAfter', async () => {
      const tasks = await seed(h, [1, 2, 3, 4, 5]);
      const query = { agentId: 'echo', statusTimestampAfter: at(3), pageSize: 2 };
      const pages = await allPages(h, query);
      expect(ids(pages.flat())).toEqual(ids(tasks.slice(0, 3)));
      expect((await h.store.list(h.me, query)).totalSize).toBe(3);
      const offset = { ...query, statusTimestampAfter: '2026-01-01T02:03:00+02:00' };
      expect(ids((await h.store.list(h.me, { ...offset, pageSize: 10 })).tasks)).toEqual(
        ids(tasks.slice(0, 3)),
      );
    });

    it('returns an empty page for a cursor below statusTimestampAfter', async () => {
      const tasks = await seed(h, [1, 2, 3]);
      const oldest = tasks[2] as TaskRecord;
      const page = await h.store.list(h.me, {
        agentId: 'echo',
        statusTimestampAfter: at(2),
        pageToken: encodePageToken(statusSortKey(oldest)),
        pageSize: 5,
      });
      expect(page).toEqual({ tasks: [], nextPageToken: '', totalSize: 2 });
    });

    it('rejects a malformed page token or timestamp with InvalidParamsError', async () => {
      await seed(h, [1]);
      const bad = [
        'not-a-token',
        Buffer.from('hello').toString('base64url'),
        encodePageToken('x'.repeat(700)),
        encodePageToken('é'.repeat(590)),
      ];
      for (const pageToken of bad) {
        await expect(h.store.list(h.me, { agentId: 'echo', pageSize: 5, pageToken })).rejects.toBeInstanceOf(
          InvalidParamsError,
        );
      }
      await expect(
        h.store.list(h.me, { agentId: 'echo', pageSize: 5, statusTimestampAfter: 'yesterday' }),
      ).rejects.toBeInstanceOf(InvalidParamsError);
    });

    it('moves a forged token only within the caller’s own tasks', async () => {
      const mine = await seed(h, [1, 2]);
      const theirs = newTask({
        tenant: h.other.principal.tenant,
        status: { state: TaskState.Submitted, timestamp: at(3) },
      });
      await h.store.create(h.other, theirs);
      for (const cursor of [statusSortKey(theirs.task), 'zzzz', '0000']) {
        const page = await h.store.list(h.me, {
          agentId: 'echo',
          pageSize: 5,
          pageToken: encodePageToken(cursor),
        });
        expect(page.tasks.every((t) => t.tenant === h.me.principal.tenant)).toBe(true);
        expect(ids(mine)).toEqual(expect.arrayContaining(ids(page.tasks)));
      }
    });

    describe('byte budget', () => {
      const minutes = Array.from({ length: 12 }, (_, i) => i + 1);
      const large = {
        artifacts: [textArtifact('x'.repeat(20_000))],
        history: [userMessage('y'.repeat(5_000))],
      };
      // one task in the view below is a little over 20 KB: three fit in 70 KB, four do not
      const budget = { pageSize: 100, maxBytes: 70_000, view: { includeArtifacts: true, historyLength: 0 } };

      it('cuts a page by bytes and continues right after its last task, none skipped or repeated', async () => {
        const tasks = await seed(h, minutes, large);
        const pages = await allPages(h, { agentId: 'echo', ...budget });
        expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 3]);
        expect(ids(pages.flat())).toEqual(ids(tasks));
        expect(pages.flat().every((t) => t.artifacts.length === 1 && t.history.length === 0)).toBe(true);
      });

      it('counts what the view shows: without artifacts the same tasks fit one page', async () => {
        const tasks = await seed(h, minutes, large);
        const view = { includeArtifacts: false, historyLength: 0 };
        const pages = await allPages(h, { agentId: 'echo', ...budget, view });
        expect(pages.map((p) => p.length)).toEqual([12]);
        expect(ids(pages[0] ?? [])).toEqual(ids(tasks));
        expect(pages[0]?.every((t) => t.artifacts.length === 0)).toBe(true);
      });

      it('returns a task larger than the budget alone on its page', async () => {
        const tasks = await seed(h, minutes.slice(0, 4), large);
        const pages = await allPages(h, { agentId: 'echo', ...budget, maxBytes: 1_000 });
        expect(pages.map((p) => p.length)).toEqual([1, 1, 1, 1]);
        expect(ids(pages.flat())).toEqual(ids(tasks));
      });
    });
  });
}
