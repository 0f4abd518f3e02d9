/**
 * Checkpointer items, in the partition of the task they belong to (PK = taskPk(tenant, taskId),
 * so a tenant reaches only its own threads and a task's state lives next to its event log):
 *   CKPT#<ns>#<checkpointId>                      checkpoint head (metadata + first part)
 *   CKPW#<ns>#<checkpointId>#<taskId>#<idx>       pending write head
 *   CKPX#T#<ns>#<checkpointId>#<nnn>              further parts of a checkpoint
 *   CKPX#W#<ns>#<checkpointId>#<taskId>#<idx>#<nnn>  further parts of a write
 * A record (metadata + checkpoint, or a write value) is one byte blob split into parts of
 * CHECKPOINT_PART_BYTES; a head says how many parts follow, and a multi-part record is written in
 * one transaction. Checkpoint ids (uuid6) sort by time, so the newest head is the last key.
 * Every item carries `expiresAt` (TTL, epoch seconds); reads skip expired items.
 */
import { CHECKPOINT_PART_BYTES, type CheckpointRecord, type WriteRecord } from '../shared/checkpoint-records';
import { escapeKeyPart } from './keys';
import type { Item } from './task-items';

export const CHECKPOINT_PREFIX = 'CKPT#';
export const WRITE_PREFIX = 'CKPW#';
const PART_PREFIX = 'CKPX#';
/** every checkpointer item of a partition starts with this */
export const CHECKPOINTER_PREFIX = 'CKP';

const IDX_OFFSET = 1_000_000;

export const nsPrefix = (ns: string): string => `${CHECKPOINT_PREFIX}${escapeKeyPart(ns)}#`;
export const checkpointSk = (ns: string, id: string): string => `${nsPrefix(ns)}${escapeKeyPart(id)}`;
export const writesPrefix = (ns: string, checkpointId: string): string =>
  `${WRITE_PREFIX}${escapeKeyPart(ns)}#${escapeKeyPart(checkpointId)}#`;
/** Negative (special) indexes sort before regular ones. */
export const writeSk = (ns: string, checkpointId: string, taskId: string, idx: number): string =>
  `${writesPrefix(ns, checkpointId)}${escapeKeyPart(taskId)}#${String(idx + IDX_OFFSET).padStart(9, '0')}`;

/** `CKPT#…` → `CKPX#T#…#`, `CKPW#…` → `CKPX#W#…#`: the prefix of the record's further parts. */
export function partsPrefix(headSk: string): string {
  const kind = headSk.startsWith(CHECKPOINT_PREFIX) ? 'T' : 'W';
  return `${PART_PREFIX}${kind}#${headSk.slice(CHECKPOINT_PREFIX.length)}#`;
}

const partSk = (headSk: string, n: number): string => `${partsPrefix(headSk)}${String(n).padStart(3, '0')}`;

export function split(blob: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < blob.length; i += CHECKPOINT_PART_BYTES)
    parts.push(blob.subarray(i, i + CHECKPOINT_PART_BYTES));
  return parts.length > 0 ? parts : [new Uint8Array()];
}

export function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The head item and the part items of a blob. */
function withParts(pk: string, sk: string, head: Item, blob: Uint8Array, expiresAt: number): Item[] {
  const [first, ...rest] = split(blob);
  return [
    { ...head, PK: pk, SK: sk, data: first, parts: rest.length, expiresAt },
    ...rest.map((data, i) => ({ PK: pk, SK: partSk(sk, i + 1), data, expiresAt })),
  ];
}

export function checkpointItems(pk: string, r: CheckpointRecord, expiresAt: number): Item[] {
  const head: Item = {
    ns: r.ns,
    id: r.id,
    cpType: r.checkpoint.type,
    mdType: r.metadata.type,
    mdLength: r.metadata.bytes.length,
  };
  if (r.parentId) head.parentId = r.parentId;
  return withParts(
    pk,
    checkpointSk(r.ns, r.id),
    head,
    join([r.metadata.bytes, r.checkpoint.bytes]),
    expiresAt,
  );
}

export function writeItems(
  pk: string,
  ns: string,
  checkpointId: string,
  w: WriteRecord,
  expiresAt: number,
): Item[] {
  const head: Item = { taskId: w.taskId, idx: w.idx, channel: w.channel, vType: w.value.type };
  return withParts(pk, writeSk(ns, checkpointId, w.taskId, w.idx), head, w.value.bytes, expiresAt);
}

export const partCount = (head: Item): number => Number(head.parts ?? 0);

export function fromCheckpointHead(threadId: string, head: Item, blob: Uint8Array): CheckpointRecord {
  const mdLength = Number(head.mdLength);
  const record: CheckpointRecord = {
    threadId,
    ns: String(head.ns),
    id: String(head.id),
    metadata: { type: String(head.mdType), bytes: blob.subarray(0, mdLength) },
    checkpoint: { type: String(head.cpType), bytes: blob.subarray(mdLength) },
  };
  if (typeof head.parentId === 'string') record.parentId = head.parentId;
  return record;
}

export const fromWriteHead = (head: Item, blob: Uint8Array): WriteRecord => ({
  taskId: String(head.taskId),
  idx: Number(head.idx),
  channel: String(head.channel),
  value: { type: String(head.vType), bytes: blob },
});

/** The first part of a head item as bytes (the DocumentClient returns binary as Uint8Array). */
export const headData = (head: Item): Uint8Array =>
  head.data instanceof Uint8Array ? head.data : new Uint8Array();
