/**
 * ListTasks ordering and cursors, shared by both stores. Tasks sort by status timestamp, newest
 * first, with the task id as a tie-breaker. The page token is the sort key of the last task on
 * the page, base64url-encoded; it carries no tenant, so a forged token can only move the cursor
 * within the caller's own tasks.
 */
import { InvalidParamsError } from '../../core/errors';
import type { TaskRecord } from '../../core/task-record';

export const statusSortKey = (t: Pick<TaskRecord, 'status' | 'createdAt' | 'id'>): string =>
  `${normalizeIso(t.status.timestamp ?? t.createdAt)}#${t.id}`;

/** Timestamps are compared as ISO strings, so they are brought to one precision first. */
export function normalizeIso(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}

export const encodePageToken = (sortKey: string): string =>
  Buffer.from(`v1:${sortKey}`).toString('base64url');

export function decodePageToken(token: string): string {
  const raw = Buffer.from(token, 'base64url').toString('utf8');
  if (!raw.startsWith('v1:') || raw.length < 5 || raw.length > 600) {
    throw new InvalidParamsError('pageToken is not a token this server issued', [
      { field: 'pageToken', description: 'unknown or malformed page token' },
    ]);
  }
  return raw.slice(3);
}
