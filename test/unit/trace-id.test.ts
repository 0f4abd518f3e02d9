/**
 * One traceIdOf, in core/context.ts, takes a traceparent and gives the `traceId` log field; no
 * other module takes a traceparent apart on its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceIdOf } from '../../core/context';
import { traceparentFor } from '../../gateway/routes/request-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('traceIdOf', () => {
  it('gives the trace id of a W3C traceparent', () => {
    expect(traceIdOf(`00-${TRACE}-00f067aa0ba902b7-01`)).toBe(TRACE);
  });

  it('gives the trace id the gateway continues from a caller traceparent', () => {
    expect(traceIdOf(traceparentFor(`00-${TRACE}-00f067aa0ba902b7-01`))).toBe(TRACE);
  });

  it('gives nothing without a traceparent', () => {
    expect(traceIdOf(undefined)).toBeUndefined();
  });

  it('is the only place that takes a traceparent apart', () => {
    const others = ['core', 'adapters', 'workers', 'gateway', 'authorizer', 'scripts']
      .flatMap(sources)
      .filter((f) => f !== join('core', 'context.ts'))
      .filter((f) =>
        /traceparent\??\.(split|slice)\(|const traceIdOf\b|function traceIdOf\b/.test(
          readFileSync(f, 'utf8'),
        ),
      );
    expect(others).toEqual([]);
  });
});
