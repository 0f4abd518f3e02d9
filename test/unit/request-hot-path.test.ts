/** The gateway's per-request savings keep their behaviour: lazy child loggers, pooled trace ids. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type Logger, lazyChild } from '../../core/ports/logger';
import { randomHex, traceparentFor } from '../../gateway/routes/request-context';

function recording(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (l: string) => lines.push(JSON.parse(l)) });
  let children = 0;
  const counted = (l: pino.Logger): Logger => ({
    debug: (o, m) => l.debug(o, m),
    info: (o, m) => l.info(o, m),
    warn: (o, m) => l.warn(o, m),
    error: (o, m) => l.error(o, m),
    child: (b) => {
      children += 1;
      return counted(l.child(b));
    },
    isLevelEnabled: (lv) => l.isLevelEnabled(lv),
  });
  return { lines, parent: counted(logger), children: () => children };
}

describe('lazyChild', () => {
  it('makes no child until a line is written, then writes with the bindings', () => {
    const r = recording('info');
    const log = lazyChild(r.parent, { method: 'SendMessage', tenant: 't' });
    log.debug({}, 'dropped at info');
    expect(r.children()).toBe(0);
    log.child({ taskId: 'x' }).error({ code: 1 }, 'failed');
    log.info({}, 'hello');
    expect(r.children()).toBe(2);
    expect(r.lines).toEqual([
      expect.objectContaining({ method: 'SendMessage', tenant: 't', taskId: 'x', code: 1, msg: 'failed' }),
      expect.objectContaining({ method: 'SendMessage', tenant: 't', msg: 'hello' }),
    ]);
  });

  it('writes debug lines when the parent is at debug', () => {
    const r = recording('debug');
    lazyChild(r.parent, { method: 'GetTask' }).debug({}, 'call answered');
    expect(r.lines).toEqual([expect.objectContaining({ method: 'GetTask', msg: 'call answered' })]);
  });
});

describe('pooled trace ids', () => {
  it('hands out fresh hex of the asked length, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const h = randomHex(16);
      expect(h).toMatch(/^[0-9a-f]{32}$/);
      seen.add(h);
    }
    expect(seen.size).toBe(1000);
    expect(traceparentFor(undefined)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
