/**
 * Errors for enum-like fields (a literal or a union of literals): name the accepted values and,
 * where the input is the other A2A version's spelling of one of them, say so.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { LEGACY_STATE } from '../a2a/task-state';

type LiteralValue = string | number | boolean;

/** Known A2A 0.3 spellings and their 1.0 equivalents: roles and task states. */
const V03_TO_V1: ReadonlyMap<string, string> = new Map([
  ['user', 'ROLE_USER'],
  ['agent', 'ROLE_AGENT'],
  ...Object.entries(LEGACY_STATE).map(([v1, v03]) => [v03, v1] as const),
]);
const V1_TO_V03: ReadonlyMap<string, string> = new Map([...V03_TO_V1].map(([v03, v1]) => [v1, v03]));

interface LiteralNode {
  [Kind]?: string;
  const?: unknown;
  anyOf?: LiteralNode[];
}

const isLiteralValue = (v: unknown): v is LiteralValue =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The accepted values of a literal or a union of literals; undefined for any other schema. */
export function literalValues(schema: TSchema): LiteralValue[] | undefined {
  const node = schema as LiteralNode;
  if (node[Kind] === 'Literal') return isLiteralValue(node.const) ? [node.const] : undefined;
  if (node[Kind] !== 'Union' || !node.anyOf || node.anyOf.length === 0) return undefined;
  const values: LiteralValue[] = [];
  for (const member of node.anyOf) {
    if (member[Kind] !== 'Literal' || !isLiteralValue(member.const)) return undefined;
    values.push(member.const);
  }
  return values;
}

/** e.g. `must be one of ROLE_USER, ROLE_AGENT (got "user", the A2A 0.3 spelling: in 1.0 it is ROLE_USER)` */
export function describeLiteralMismatch(accepted: readonly LiteralValue[], value: unknown): string {
  const head = accepted.length === 1 ? `must be ${accepted[0]}` : `must be one of ${accepted.join(', ')}`;
  if (value === undefined) return `${head} (it is missing)`;
  return `${head} (got ${shown(value)}${spellingHint(accepted, value)})`;
}

function spellingHint(accepted: readonly LiteralValue[], value: unknown): string {
  if (typeof value !== 'string') return '';
  const v1 = V03_TO_V1.get(value);
  if (v1 !== undefined && accepted.includes(v1)) return `, the A2A 0.3 spelling: in 1.0 it is ${v1}`;
  const v03 = V1_TO_V03.get(value);
  if (v03 !== undefined && accepted.includes(v03)) return `, the A2A 1.0 spelling: in 0.3 it is ${v03}`;
  return '';
}

const MAX_SHOWN = 64;

function shown(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
  }
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
