/**
 * An HTTP+JSON request's params, in the shape the v1.0 method's validator reads: the JSON body
 * (POST), the ids in the path and the query parameters the method takes.
 * Path values win; a body that names another id is refused rather than silently overridden.
 */
import { InvalidParamsError } from '../../core/errors';
import { depth, MAX_DEPTH, parseJson } from '../json-rpc/envelope';
import type { RestRoute } from './rest-routes';

/** Query parameters each method reads (camelCase, §11.5), and how to read their values. */
const QUERY: Readonly<Record<string, Readonly<Record<string, 'int' | 'bool' | 'string'>>>> = {
  GetTask: { historyLength: 'int' },
  ListTasks: {
    contextId: 'string',
    status: 'string',
    pageSize: 'int',
    pageToken: 'string',
    historyLength: 'int',
    statusTimestampAfter: 'string',
    includeArtifacts: 'bool',
  },
  ListTaskPushNotificationConfigs: { pageSize: 'int', pageToken: 'string' },
};

/** A value the method cannot read stays a string, so the validator names the field and type. */
function typed(value: string, kind: 'int' | 'bool' | 'string'): unknown {
  if (kind === 'int' && /^-?\d{1,15}$/.test(value)) return Number(value);
  if (kind === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** The JSON body as an object; '' is {} (POST /tasks/{id}:cancel may come without one). */
function bodyObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  const parsed = parseJson(raw);
  if (!parsed.ok)
    throw new InvalidParamsError('The body is not valid JSON', [
      { field: 'body', description: 'must be a JSON object' },
    ]);
  const v = parsed.value;
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new InvalidParamsError('The body must be a JSON object', [
      { field: 'body', description: 'must be a JSON object' },
    ]);
  }
  if (depth(v) > MAX_DEPTH) {
    throw new InvalidParamsError(`The body is nested deeper than ${MAX_DEPTH} levels`, [
      { field: 'body', description: `at most ${MAX_DEPTH} levels` },
    ]);
  }
  return v as Record<string, unknown>;
}

export function restParams(
  route: RestRoute,
  httpMethod: string,
  query: URLSearchParams,
  rawBody: string,
): unknown {
  const params: Record<string, unknown> = httpMethod === 'POST' ? bodyObject(rawBody) : {};
  for (const [name, kind] of Object.entries(QUERY[route.method] ?? {})) {
    const values = query.getAll(name);
    if (values.length > 1) {
      throw new InvalidParamsError(`The query parameter ${name} is given ${values.length} times`, [
        { field: name, description: 'give it once' },
      ]);
    }
    if (values[0] !== undefined) params[name] = typed(values[0], kind);
  }
  for (const [field, value] of Object.entries(route.ids)) {
    const given = params[field] ?? (field === 'taskId' ? params.task_id : undefined);
    if (given !== undefined && given !== '' && given !== value) {
      throw new InvalidParamsError(
        `${field} in the body (${JSON.stringify(String(given).slice(0, 100))}) differs from the path (${JSON.stringify(value.slice(0, 100))})`,
        [{ field, description: 'must equal the value in the path, or be left out' }],
      );
    }
    params[field] = value;
  }
  return params;
}
