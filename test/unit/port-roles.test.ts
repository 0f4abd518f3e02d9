/**
 * Consumers of the task store ask for the roles they use (core/ports/task-records.ts,
 * run-control.ts, push-config-store.ts), never for the whole TaskStore: only the adapters that
 * implement or wrap it, and the composition roots that build it (scripts/, test support), name it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CONSUMERS = ['core/use-cases', 'workers', 'gateway', 'adapters/polling'];
const WHOLE_STORE = /import\s+(?:type\s+)?\{[^}]*\bTaskStore\b[^}]*\}\s+from\s+'[^']*ports\/task-store'/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('task store roles', () => {
  it('finds the consumer modules', () => {
    expect(CONSUMERS.flatMap(sources).length).toBeGreaterThan(50);
  });

  it('are what consumers import, never the whole TaskStore', () => {
    const whole = CONSUMERS.flatMap(sources).filter((f) => WHOLE_STORE.test(readFileSync(f, 'utf8')));
    expect(whole).toEqual([]);
  });

  it('detects an import of the whole store in any form', () => {
    const forms = [
      "import type { TaskStore } from '../ports/task-store';",
      "import type {\n  StoredPushConfig,\n  TaskStore,\n} from '../../core/ports/task-store';",
      "import { type TaskStore, DEFAULT_MAX_PUSH_CONFIGS_PER_TASK } from '../../../core/ports/task-store';",
    ];
    expect(forms.filter((f) => WHOLE_STORE.test(f))).toEqual(forms);
    expect(WHOLE_STORE.test("import type { TaskReader } from '../ports/task-records';")).toBe(false);
  });
});
