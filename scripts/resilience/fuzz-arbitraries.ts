/**
 * fast-check generators of malformed and hostile JSON-RPC requests, in both protocol versions:
 * A2A 1.0 (PascalCase methods, `A2A-Version: 1.0`) and 0.3 (slash methods, no header). Bodies are
 * built as raw text, so they can hold what JSON.stringify never writes: duplicate keys,
 * `__proto__` members, nesting deeper than any parser should follow, lone surrogates in escapes.
 */
import fc from 'fast-check';

export const V1_METHODS = [
  'SendMessage',
  'SendStreamingMessage',
  'GetTask',
  'ListTasks',
  'CancelTask',
  'SubscribeToTask',
  'CreateTaskPushNotificationConfig',
  'GetTaskPushNotificationConfig',
  'ListTaskPushNotificationConfigs',
  'DeleteTaskPushNotificationConfig',
  'GetExtendedAgentCard',
] as const;

export const V03_METHODS = [
  'message/send',
  'message/stream',
  'tasks/get',
  'tasks/cancel',
  'tasks/resubscribe',
  'tasks/pushNotificationConfig/set',
  'tasks/pushNotificationConfig/get',
  'tasks/pushNotificationConfig/list',
  'tasks/pushNotificationConfig/delete',
  'agent/getAuthenticatedExtendedCard',
] as const;

export interface FuzzRequest {
  /** null: no A2A-Version header (0.3) */
  version: '1.0' | null;
  contentType: string;
  body: string;
}

/** A value as raw JSON text. */
type Raw = string;

const json = (v: unknown): Raw => JSON.stringify(v) ?? 'null';
const object = (members: [string, Raw][]): Raw => `{${members.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;

const UNICODE_EDGES = [
  '\u0000',
  '\ufeff',
  '\u202e',
  '\u200d',
  '👩\u200d👩\u200d👧',
  'e\u0301',
  '\uffff',
  '\u2028\u2029',
  '%23T#x',
  '../..',
  '<script>',
];

/** Strings that stress parsers, validators, keys and logs. */
const hostileString: fc.Arbitrary<Raw> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 64 }).map(json) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }).map(json) },
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE_EDGES).map(json) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('"\\ud800"', '"\\udfff\\ud800"', '"a\\u0000b"', '"\\uDBFF\\uDFFF"'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 300_000 }).map((n) => json('x'.repeat(n))) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => json('é😀'.repeat(n))) },
);

const hostileScalar: fc.Arbitrary<Raw> = fc.oneof(
  hostileString,
  fc.constantFrom('null', 'true', 'false', '0', '-1', '1e309', '-0', '1.5', '9007199254740993', '[]', '{}'),
  fc.double().map((d) => (Number.isFinite(d) ? json(d) : '0')),
);

/** Arrays and objects nested `depth` levels deep. */
const deep: fc.Arbitrary<Raw> = fc
  .tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const pollution: fc.Arbitrary<Raw> = fc
  .constantFrom(...POLLUTION_KEYS)
  .map((k) =>
    k === 'constructor'
      ? `{"constructor":{"prototype":{"polluted":"yes"}}}`
      : `{${json(k)}:{"polluted":"yes"}}`,
  );

const value: fc.Arbitrary<Raw> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: pollution },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
);

const PARAM_KEYS = [
  'id',
  'taskId',
  'task_id',
  'message',
  'configuration',
  'historyLength',
  'history_length',
  'pageSize',
  'pageToken',
  'status',
  'contextId',
  'url',
  'pushNotificationConfigId',
  'metadata',
  'tenant',
  ...POLLUTION_KEYS,
];

/** `arbitrary` one time in `1 + noneWeight` (integer weights), else nothing. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, noneWeight = 4): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: noneWeight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** A message with hostile members, biased to be valid enough to create a task. */
const message: fc.Arbitrary<Raw> = fc
  .record({
    messageId: fc.oneof(
      { weight: 4, arbitrary: fc.uuid().map(json) },
      { weight: 1, arbitrary: hostileScalar },
    ),
    role: fc.oneof(
      { weight: 4, arbitrary: fc.constant('"ROLE_USER"') },
      { weight: 1, arbitrary: fc.constantFrom('"user"', '"ROLE_AGENT"', '"ROLE_UNSPECIFIED"') },
      { weight: 1, arbitrary: hostileScalar },
    ),
    kindKey: fc.boolean(),
    parts: fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .array(
            hostileString.map((t) => object([['text', t]])),
            { minLength: 1, maxLength: 3 },
          )
          .map((ps) => `[${ps.join(',')}]`),
      },
      { weight: 1, arbitrary: fc.array(value, { maxLength: 3 }).map((ps) => `[${ps.join(',')}]`) },
      { weight: 1, arbitrary: value },
    ),
    extra: fc.oneof(
      { weight: 3, arbitrary: fc.constant([] as [string, Raw][]) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.tuple(fc.constantFrom('taskId', 'contextId', 'metadata', 'kind', ...POLLUTION_KEYS), value),
          { maxLength: 2 },
        ),
      },
    ),
  })
  .map((m) =>
    object([
      ['messageId', m.messageId],
      ['role', m.role],
      ...(m.kindKey ? ([['kind', '"message"']] as [string, Raw][]) : []),
      ['parts', m.parts],
      ...m.extra,
    ]),
  );

const params: fc.Arbitrary<Raw> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(message, sometimes(fc.oneof(value, fc.constant('{"returnImmediately":true}'))))
      .map(([m, c]) => object([['message', m], ...(c ? ([['configuration', c]] as [string, Raw][]) : [])])),
  },
  {
    weight: 3,
    arbitrary: fc.array(fc.tuple(fc.constantFrom(...PARAM_KEYS), value), { maxLength: 5 }).map(object),
  },
  { weight: 1, arbitrary: value },
);

/** Members of the envelope; duplicates (later ones win in JSON.parse) are generated on purpose. */
const envelope = (methods: readonly string[]): fc.Arbitrary<Raw> =>
  fc
    .record({
      jsonrpc: fc.oneof(
        { weight: 19, arbitrary: fc.constant('"2.0"') },
        { weight: 1, arbitrary: hostileScalar },
      ),
      id: fc.oneof(
        { weight: 6, arbitrary: fc.integer().map(json) },
        { weight: 4, arbitrary: fc.string({ maxLength: 16 }).map(json) },
        { weight: 2, arbitrary: fc.constant('null') },
        { weight: 1, arbitrary: hostileScalar },
      ),
      method: fc.oneof(
        { weight: 19, arbitrary: fc.constantFrom(...methods).map(json) },
        { weight: 1, arbitrary: hostileScalar },
      ),
      params,
      duplicate: sometimes(fc.tuple(fc.constantFrom('method', 'id', 'params', 'jsonrpc'), value), 7),
      drop: sometimes(fc.constantFrom('id', 'method', 'jsonrpc', 'params'), 9),
    })
    .map((e) => {
      const members: [string, Raw][] = [
        ['jsonrpc', e.jsonrpc],
        ['id', e.id],
        ['method', e.method],
        ['params', e.params],
      ];
      const kept = members.filter(([k]) => k !== e.drop);
      return object(e.duplicate ? [...kept, e.duplicate] : kept);
    });

const junk: fc.Arbitrary<Raw> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    '[]',
    '[{"jsonrpc":"2.0","id":1,"method":"GetTask"}]',
    'null',
    '"str"',
    '{"a":1}}',
    '\ufeff{}',
  ),
  deep,
  fc
    .integer({ min: 1_048_000, max: 1_100_000 })
    .map((n) => `{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"x":"${'y'.repeat(n)}"}}`),
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    v1: fc.boolean(),
    crossed: fc.integer({ min: 0, max: 9 }),
    contentType: fc.oneof(
      { weight: 12, arbitrary: fc.constant('application/json') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'application/a2a+json',
          'application/json; charset=utf-16',
          'text/plain',
          '',
        ),
      },
    ),
    shape: fc.integer({ min: 0, max: 9 }),
    v1Body: envelope(V1_METHODS),
    v03Body: envelope(V03_METHODS),
    junk,
  })
  .map((r) => {
    // One time in ten a request carries the other version's method (or header).
    const version = r.crossed === 0 ? (r.v1 ? null : '1.0') : r.v1 ? '1.0' : null;
    const body = r.shape === 0 ? r.junk : r.v1 ? r.v1Body : r.v03Body;
    return { version, contentType: r.contentType, body };
  });
