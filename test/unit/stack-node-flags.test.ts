import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { STACK_NODE_FLAGS } from '../../local/stack-node-flags';

describe('the local stack’s Node flags', () => {
  it('are the ones npm start passes to tsx, before the script', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`tsx ${STACK_NODE_FLAGS.join(' ')} scripts/start.ts`);
  });

  it('are V8 flags this Node accepts', () => {
    const allowed = process.allowedNodeEnvironmentFlags;
    for (const flag of STACK_NODE_FLAGS) expect(allowed.has(flag.split('=')[0] ?? flag)).toBe(true);
  });
});
