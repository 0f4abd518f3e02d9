/**
 * Prints (JSON) the env variable names a Lambda entry's own code reads while it loads:
 *   node --import tsx test/build/support/env-probe.ts <entry.ts>
 * process.env is swapped for a proxy that answers "unset" to everything and records each name
 * read from a project file (not node_modules, not Node itself). Config modules read every key
 * before they throw on the missing ones, so the import's error is expected and ignored.
 */
import { pathToFileURL } from 'node:url';

const root = new URL('../../../', import.meta.url);
const self = new URL(import.meta.url).pathname;
const read = new Set<string>();

/** The first stack frame outside this file: a project file reading env? */
function readByProject(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const caller = frames.find((f) => !f.includes(self));
  if (!caller) return false;
  const path = caller.replace(/^.*?\(?(file:\/\/)?(\/[^:)]+):\d+:\d+\)?$/, '$2');
  return path.startsWith(root.pathname) && !path.includes('/node_modules/');
}

const record = (key: string | symbol): void => {
  if (typeof key === 'string' && readByProject()) read.add(key);
};

const real = process.env;
process.env = new Proxy({} as NodeJS.ProcessEnv, {
  get: (_, key) => {
    record(key);
    return undefined;
  },
  has: (_, key) => {
    record(key);
    return false;
  },
});

const entry = process.argv[2];
if (!entry) throw new Error('usage: env-probe.ts <entry.ts>');
try {
  await import(pathToFileURL(entry).href);
} catch {
  // a config module refusing the empty env: expected
}
process.env = real;
process.stdout.write(`${JSON.stringify([...read].sort())}\n`);
