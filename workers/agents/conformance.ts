/**
 * The behaviours the A2A conformance kit (TCK) expects, chosen by the messageId prefix of the
 * message that started the run (see ARCHITECTURE §7).
 */
import { TaskState } from '../../core/a2a/task-state';
import type { Artifact } from '../../core/a2a/types';
import { type Agent, type AgentEvent, textOf } from '../../core/ports/agent';
import { sleep } from './sleep';

export interface ConformanceOptions {
  /** how long `test-resubscribe-message-id` keeps the task WORKING */
  resubscribeWaitMs: number;
}

const completed = (text?: string): AgentEvent =>
  text === undefined
    ? { kind: 'status', state: TaskState.Completed }
    : { kind: 'status', state: TaskState.Completed, message: [{ text }] };
const working: AgentEvent = { kind: 'status', state: TaskState.Working };
const artifact = (a: Artifact, extra: { append?: boolean; lastChunk?: boolean } = {}): AgentEvent => ({
  kind: 'artifact',
  artifact: a,
  ...extra,
});

const TEXT_ARTIFACT: Artifact = {
  artifactId: 'text-artifact',
  name: 'text',
  parts: [{ text: 'Generated text content' }],
};
const FILE_ARTIFACT: Artifact = {
  artifactId: 'file-artifact',
  name: 'output.txt',
  parts: [
    {
      raw: Buffer.from('Generated file content').toString('base64'),
      filename: 'output.txt',
      mediaType: 'text/plain',
    },
  ],
};

type Script = (
  opts: ConformanceOptions,
  signal: AbortSignal,
  text: string,
) => AgentEvent[] | AsyncIterable<AgentEvent>;

const streamOneArtifact: Script = () => [working, artifact(TEXT_ARTIFACT, { lastChunk: true }), completed()];

/** Longest prefix first, so `tck-artifact-file-url` wins over `tck-artifact-file`. */
const SCRIPTS: [string, Script][] = (
  [
    ['tck-complete-task', () => [completed('Hello from TCK')]],
    ['tck-artifact-text', () => [artifact(TEXT_ARTIFACT), completed()]],
    [
      'tck-artifact-file-url',
      () => [
        artifact({
          artifactId: 'file-url-artifact',
          name: 'output.txt',
          parts: [{ url: 'https://example.com/output.txt', filename: 'output.txt', mediaType: 'text/plain' }],
        }),
        completed(),
      ],
    ],
    ['tck-artifact-file', () => [artifact(FILE_ARTIFACT), completed()]],
    [
      'tck-artifact-data',
      () => [
        artifact({
          artifactId: 'data-artifact',
          name: 'data',
          parts: [{ data: { key: 'value', count: 42 }, mediaType: 'application/json' }],
        }),
        completed(),
      ],
    ],
    ['tck-message-response', () => [{ kind: 'message', parts: [{ text: 'Direct message response' }] }]],
    [
      'tck-input-required',
      () => [
        { kind: 'status', state: TaskState.InputRequired, message: [{ text: 'Please provide more input.' }] },
      ],
    ],
    [
      'tck-reject-task',
      () => [{ kind: 'status', state: TaskState.Rejected, message: [{ text: 'Task rejected.' }] }],
    ],
    [
      'tck-stream-artifact-chunked',
      () => [
        working,
        artifact(
          { artifactId: 'chunked-artifact', name: 'chunked', parts: [{ text: 'chunk-1 ' }] },
          { append: false, lastChunk: false },
        ),
        artifact(
          { artifactId: 'chunked-artifact', name: 'chunked', parts: [{ text: 'chunk-2' }] },
          { append: true, lastChunk: true },
        ),
        completed(),
      ],
    ],
    ['tck-stream-artifact-text', streamOneArtifact],
    ['tck-stream-artifact-file', () => [working, artifact(FILE_ARTIFACT, { lastChunk: true }), completed()]],
    ['tck-stream-ordering-001', streamOneArtifact],
    ['tck-stream-001', streamOneArtifact],
    ['tck-stream-002', () => [completed()]],
    ['tck-stream-003', streamOneArtifact],
    ['test-resubscribe-message-id', (opts, signal) => resubscribe(opts, signal)],
  ] satisfies [string, Script][]
).sort((a, b) => b[0].length - a[0].length);

async function* resubscribe(opts: ConformanceOptions, signal: AbortSignal): AsyncIterable<AgentEvent> {
  yield working;
  await sleep(opts.resubscribeWaitMs, signal);
  yield completed();
}

export function createConformanceAgent(opts: ConformanceOptions): Agent {
  return {
    id: 'conformance',
    async *run({ message, signal }) {
      const script = SCRIPTS.find(([prefix]) => message.messageId.startsWith(prefix))?.[1];
      const text = textOf(message);
      if (!script) {
        // Anything else: echo, and keep the task open for follow-ups, cancel and history checks.
        yield { kind: 'status', state: TaskState.InputRequired, message: [{ text: `Echo: ${text}` }] };
        return;
      }
      yield* script(opts, signal, text);
    },
  };
}
