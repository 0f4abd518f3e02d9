/** Request ids and W3C trace context for each incoming request. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a well-formed x-request-id; otherwise mint one. */
export function newRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Accept a valid W3C traceparent or start a new trace. */
export function traceparentFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (m && !/^0+$/.test(m[1] ?? '') && !/^0+$/.test(m[2] ?? ''))
    return `00-${m[1]}-${randomBytes(8).toString('hex')}-${m[3]}`;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export const traceIdOf = (traceparent: string): string => traceparent.split('-')[1] ?? '';
