/**
 * What `npm run build` writes for Terraform from the entries of lambda-entries.ts: the manifest
 * (`dist/manifest.json`), and the structural checks on the entries it runs first.
 */
import {
  LAMBDA_PROVIDED_ENV,
  type LambdaEntry,
  LOCAL_ONLY_ENV,
  type QueueName,
  type Trigger,
} from './lambda-entries';

/** The manifest Terraform reads (snake_case, every key present so its type is uniform). */
export interface ManifestFunction {
  name: string;
  handler: string;
  zip: string;
  sha256: string;
  description: string;
  env: string[];
  grants: { sid: string; actions: string[]; on: string[] }[];
  trigger: { type: Trigger['type']; queue: QueueName | null; batch_size: number | null };
  memory_mb: number;
  timeout_seconds: number;
}

export interface Manifest {
  version: 1;
  runtime: 'nodejs22.x';
  functions: ManifestFunction[];
}

export function manifestFunction(entry: LambdaEntry, sha256: string): ManifestFunction {
  const { trigger } = entry;
  return {
    name: entry.name,
    handler: `index.${entry.handler}`,
    zip: `${entry.name}.zip`,
    sha256,
    description: entry.description,
    env: [...entry.env],
    grants: entry.grants.map((g) => ({ sid: g.sid, actions: [...g.actions], on: [...g.on] })),
    trigger: {
      type: trigger.type,
      queue: trigger.type === 'sqs' ? trigger.queue : null,
      batch_size: trigger.type === 'sqs' ? trigger.batchSize : null,
    },
    memory_mb: entry.memoryMb,
    timeout_seconds: entry.timeoutSeconds,
  };
}

export function buildManifest(functions: readonly ManifestFunction[]): Manifest {
  return { version: 1, runtime: 'nodejs22.x', functions: [...functions] };
}

/** Structural checks the type system cannot make; returns every problem found. */
export function entryProblems(entries: readonly LambdaEntry[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const e of entries) {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(e.name)) problems.push(`${e.name}: name must be kebab-case`);
    if (names.has(e.name)) problems.push(`${e.name}: duplicate name`);
    names.add(e.name);
    if (!/^[A-Za-z_$][\w$]*$/.test(e.handler)) problems.push(`${e.name}: handler must be an export name`);
    for (const v of e.env) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(v)) problems.push(`${e.name}: env ${v} is not UPPER_SNAKE_CASE`);
      if (LAMBDA_PROVIDED_ENV.includes(v) || LOCAL_ONLY_ENV.includes(v)) {
        problems.push(`${e.name}: env ${v} must not be set by Terraform`);
      }
    }
    for (const g of e.grants) {
      if (!/^[A-Za-z0-9]+$/.test(g.sid)) problems.push(`${e.name}: grant sid ${g.sid} must be alphanumeric`);
      for (const a of g.actions) {
        if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(a))
          problems.push(`${e.name}: action ${a} is not service:Action`);
      }
    }
  }
  for (const type of ['http-api', 'http-authorizer'] as const) {
    const count = entries.filter((e) => e.trigger.type === type).length;
    if (count !== 1) problems.push(`exactly one entry must have trigger ${type} (found ${count})`);
  }
  // its URL is the one STREAMING_URL
  const urls = entries.filter((e) => e.trigger.type === 'function-url').length;
  if (urls > 1) problems.push(`at most one entry may have trigger function-url (found ${urls})`);
  return problems;
}
