/** The parts of `terraform show -json` (plan and state) the tests read. */
import { LAMBDA_ENTRIES } from '../../../deploy/lambda-entries';

export interface PlannedChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  change: {
    actions: string[];
    after: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown>;
  };
}

export interface PlanJson {
  resource_changes?: PlannedChange[];
  planned_values?: { outputs?: Record<string, { value?: unknown }> };
  output_changes?: Record<string, { after?: unknown; after_unknown?: boolean }>;
}

export interface StateResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  values: Record<string, unknown>;
}

interface StateModule {
  address?: string;
  resources?: StateResource[];
  child_modules?: StateModule[];
}

export interface StateJson {
  values?: { root_module?: StateModule; outputs?: Record<string, { value: unknown }> };
}

/** Resources the plan creates (managed only). */
export function createdResources(plan: PlanJson): PlannedChange[] {
  return (plan.resource_changes ?? []).filter(
    (r) => r.mode === 'managed' && r.change.actions.includes('create'),
  );
}

export function countByType(resources: readonly { type: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The planned `after` values of one resource address; throws if the plan lacks it. */
export function planned(plan: PlanJson, address: string): Record<string, unknown> {
  const found = (plan.resource_changes ?? []).find((r) => r.address === address);
  if (!found?.change.after) throw new Error(`the plan has no ${address}`);
  return found.change.after;
}

/** Every managed resource in a state, flattened across modules. */
export function stateResources(state: StateJson): StateResource[] {
  const out: StateResource[] = [];
  const walk = (m: StateModule | undefined): void => {
    if (!m) return;
    out.push(...(m.resources ?? []).filter((r) => r.mode === 'managed'));
    for (const child of m.child_modules ?? []) walk(child);
  };
  walk(state.values?.root_module);
  return out;
}

export function stateResource(state: StateJson, address: string): Record<string, unknown> {
  const found = stateResources(state).find((r) => r.address === address);
  if (!found) throw new Error(`the state has no ${address}`);
  return found.values;
}

/** Reads a string attribute, failing loudly when it is absent. */
export function str(values: Record<string, unknown>, key: string): string {
  const v = values[key];
  if (typeof v !== 'string') throw new Error(`${key} is ${JSON.stringify(v)}, not a string`);
  return v;
}

const STREAM_FUNCTIONS = new Set(
  LAMBDA_ENTRIES.filter((e) => e.trigger.type === 'function-url').map((e) => e.name),
);

/**
 * `module.function["gateway"].aws_lambda_function.this`; the streaming function has a module call
 * of its own (terraform/main.tf): `module.stream_function["gateway-stream"]…`.
 */
export const fnAddress = (name: string, resource: string): string =>
  `module.${STREAM_FUNCTIONS.has(name) ? 'stream_function' : 'function'}["${name}"].${resource}`;
