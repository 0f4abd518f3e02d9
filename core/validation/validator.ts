/**
 * Compiled validators for wire input. Keys are normalized first: ProtoJSON accepts the proto's
 * snake_case names as well as lowerCamelCase, so `task_id` becomes `taskId` wherever the schema
 * has that field. Free-form values (metadata, data parts) are left untouched. Unknown fields are
 * dropped (ProtoJSON parsers ignore them).
 */
import { Kind, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { type FieldViolation, InvalidParamsError } from '../errors';
import { describeLiteralMismatch, literalValues } from './literal-values';

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

interface SchemaNode {
  [Kind]?: string;
  properties?: Record<string, TSchema>;
  items?: TSchema;
  anyOf?: TSchema[];
}

/** Returns a copy of `value` with keys renamed to the schema's names. */
export function normalizeKeys(schema: TSchema, value: unknown): unknown {
  const node = schema as SchemaNode;
  const kind = node[Kind];
  if (kind === 'Object' && node.properties && isPlainObject(value)) {
    const props = node.properties;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const name = key in props ? key : camel(key);
      const prop = props[name];
      if (!prop || !Object.hasOwn(props, name) || Object.hasOwn(out, name)) continue;
      out[name] = normalizeKeys(prop, value[key]);
    }
    return out;
  }
  if (kind === 'Array' && node.items && Array.isArray(value)) {
    const items = node.items;
    return value.map((v) => normalizeKeys(items, v));
  }
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface Validator<T extends TSchema> {
  /** Normalizes keys and validates; throws InvalidParamsError with field violations. */
  parse(value: unknown, what?: string): Static<T>;
}

export function compileValidator<T extends TSchema>(schema: T): Validator<T> {
  const check = TypeCompiler.Compile(schema);
  return {
    parse(value, what = 'params') {
      const normalized = normalizeKeys(schema, value);
      if (check.Check(normalized)) return normalized;
      const violations: FieldViolation[] = [];
      let summary: string | undefined;
      for (const e of check.Errors(normalized)) {
        const field = pointerToField(e.path, what);
        const accepted = literalValues(e.schema);
        if (accepted) {
          // An enum-like field: name the accepted values (a missing one also got "Expected
          // required property" just before; this says more, so it replaces that).
          const description = describeLiteralMismatch(accepted, e.value);
          if (violations.at(-1)?.field === field) violations.pop();
          violations.push({ field, description });
          if (violations.length === 1) summary = `${field} ${description}`;
        } else {
          violations.push({ field, description: e.message });
          if (violations.length === 1) summary = `Invalid ${field}: ${e.message}`;
        }
        if (violations.length >= 10) break;
      }
      throw new InvalidParamsError(summary ?? `Invalid ${what}`, violations);
    },
  };
}

/** "/message/parts/0/text" -> "message.parts[0].text" */
function pointerToField(path: string, root: string): string {
  if (path === '') return root;
  return path
    .split('/')
    .slice(1)
    .reduce((acc, seg, i) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : i === 0 ? seg : `${acc}.${seg}`), '');
}
