/**
 * `npm run a2a` as a user runs it: its own node process against the local stack (memory store)
 * over real HTTP, with the dev token minted from the `.local/` of its working directory, as
 * `npm run token` does. Streams end after 1.5 s here (as a Lambda's do), so `watch` must resume;
 * a blocking SendMessage returns after 2 s, so `send` must follow a task that runs longer.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { testDataDir } from '../support/temp-dir';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
const WAIT_MS = 4_000;

let stack: LocalStack;
let cwd: string;

beforeAll(async () => {
  const dataDir = join(testDataDir('a2a-cli'), '.local');
  cwd = dirname(dataDir);
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    dataDir,
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: WAIT_MS,
    blockingTimeoutMs: 2_000,
    pollWaitSeconds: 1,
    streaming: { maxDurationMs: 1_500 },
  });
});
afterAll(() => stack?.stop());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function a2a(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', tsxLoader, join(repo, 'scripts/a2a.ts'), ...args],
      { cwd, env: { ...process.env, A2A_URL: stack.url, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        done({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

const json = (run: Run): Record<string, unknown> => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '');
const taskOf = (run: Run) => (json(run).task ?? json(run)) as { id: string; status: { state: string } };

describe('npm run a2a against the local stack', () => {
  let echoTaskId: string;

  it('send waits for the echo agent and prints the task id, its state and the answer', async () => {
    const run = await a2a(['send', 'hello from the cli']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^task {5}[0-9a-f-]{36}\n/);
    expect(run.stdout).toContain('state    completed\n');
    expect(run.stdout).toContain('artifact echo: hello from the cli\n');
    echoTaskId = /^task +(\S+)/.exec(run.stdout)?.[1] ?? '';
  }, 60_000);

  it('send --json prints the SendMessage result as the wire names it', async () => {
    const run = await a2a(['send', 'raw please', '--json']);
    expect(run.code).toBe(0);
    expect(taskOf(run).status.state).toBe('TASK_STATE_COMPLETED');
    expect(JSON.stringify(json(run))).toContain('"parts":[{"text":"raw please"}]');
  }, 60_000);

  it('send follows a task that outlives the blocking wait until it settles', async () => {
    const messageId = `test-resubscribe-message-id-${Date.now()}-send`;
    const run = await a2a(['send', 'take your time', '--agent', 'conformance', '--message-id', messageId]);
    expect(run).toMatchObject({ code: 0, stderr: expect.not.stringContaining('npm run a2a:') });
    expect(run.stdout).toContain('state    working\nstill running; following it\n');
    expect(run.stdout.match(/^(task|state {4}working)/gm)).toEqual(['task', 'state    working']);
    expect(run.stdout).toMatch(/state {4}completed\n$/);
  }, 60_000);

  it('get prints a task, with its last messages for --history', async () => {
    const run = await a2a(['get', echoTaskId, '--history', '2']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`task     ${echoTaskId}\n`);
    expect(run.stdout).toContain('history  user: hello from the cli\n');
    expect(run.stdout).toContain('history  agent: hello from the cli\n');
  }, 60_000);

  it('list shows the tenant’s tasks, filtered by status and page size', async () => {
    const all = await a2a(['list']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`^${echoTaskId}  completed `, 'm'));
    const page = await a2a(['list', '--status', 'completed', '--page-size', '1', '--json']);
    expect(page.code).toBe(0);
    const body = json(page) as { tasks: { status: { state: string } }[]; nextPageToken: string };
    expect(body.tasks).toHaveLength(1);
    expect(body.tasks[0]?.status.state).toBe('TASK_STATE_COMPLETED');
    expect(body.nextPageToken).not.toBe('');
  }, 60_000);

  it('cancel ends a task that waits for input', async () => {
    const sent = await a2a(['send', 'cancel me', '--agent', 'conformance', '--json']);
    const task = taskOf(sent);
    expect(task.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    expect(sent.stderr).toContain(`npm run a2a -- send "<reply>" --task ${task.id} --agent conformance`);
    const run = await a2a(['cancel', task.id, '--agent', 'conformance']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`task     ${task.id}\n`);
    expect(run.stdout).toContain('state    canceled\n');
  }, 60_000);

  it('stream prints each state change and the streamed text as it arrives', async () => {
    const run = await a2a(['stream', 'streamed words']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^task {5}\S+\nstate {4}submitted\n(state {4}working\n)?artifact echo: streamed words\nstate {4}completed\n/,
    );
    const raw = await a2a(['stream', 'as json', '--json']);
    const events = raw.stdout
      .trim()
      .split('\n')
      .map((l) => Object.keys(JSON.parse(l))[0]);
    expect(events[0]).toBe('task');
    expect(events).toContain('artifactUpdate');
    expect(events.at(-1)).toBe('statusUpdate');
  }, 60_000);

  it('watch follows a running task to its end, resuming with Last-Event-ID when the stream ends', async () => {
    const messageId = `test-resubscribe-message-id-${Date.now()}`;
    const sent = await a2a([
      'send',
      'wait',
      '--agent',
      'conformance',
      '--message-id',
      messageId,
      '--no-wait',
      '--json',
    ]);
    const task = taskOf(sent);
    expect(sent.stderr).toContain(`npm run a2a -- watch ${task.id} --agent conformance`);
    const run = await a2a(['watch', task.id, '--agent', 'conformance']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('state    working\n');
    expect(run.stdout).toMatch(/state {4}completed\n$/);
    // The 1.5 s stream limit cut the stream while the task worked; the resumed stream starts after
    // the last event taken, so no state is printed twice.
    expect(run.stderr).toMatch(/^stream ended before the task settled; resuming after event \d+\n/);
    expect(run.stdout.match(/state {4}working/g)).toHaveLength(1);
  }, 60_000);

  it('watch --json prints each event once: a resumed stream sends no second task snapshot', async () => {
    const messageId = `test-resubscribe-message-id-${Date.now()}-json`;
    const sent = await a2a([
      'send',
      'wait',
      '--agent',
      'conformance',
      '--message-id',
      messageId,
      '--no-wait',
      '--json',
    ]);
    const run = await a2a(['watch', taskOf(sent).id, '--agent', 'conformance', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('resuming after event');
    const kinds = run.stdout
      .trim()
      .split('\n')
      .map((l) => Object.keys(JSON.parse(l))[0]);
    expect(kinds.filter((k) => k === 'task')).toHaveLength(1);
    const states = run.stdout.match(/TASK_STATE_[A-Z_]+/g) ?? [];
    expect(states.at(-1)).toBe('TASK_STATE_COMPLETED');
  }, 60_000);
});

describe('npm run a2a errors', () => {
  it('names an A2A error with its code in one line and exits 1', async () => {
    const run = await a2a(['get', 'no-such-task']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^npm run a2a: A2A error -32001: .*no-such-task.*\n$/);
  }, 60_000);

  it('says the stack may not be running when the connection is refused, and exits 1', async () => {
    const closed = new URL(stack.url);
    closed.port = String(Number(closed.port) === 65_535 ? 65_534 : Number(closed.port) + 1);
    const run = await a2a(['list', '--url', closed.origin]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `npm run a2a: cannot reach ${closed.origin} (connection refused): is the stack running? npm start\n`,
    );
  }, 60_000);

  it('reports a refused token as HTTP 401 in one line', async () => {
    const run = await a2a(['list'], { A2A_TOKEN: 'not-a-jwt' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^npm run a2a: HTTP 401: .+\n$/);
  }, 60_000);

  it.each([
    [[], 'which command? (send, stream, get, list, cancel, watch)'],
    [['frobnicate'], 'unknown command "frobnicate" (send, stream, get, list, cancel, watch)'],
    [['get'], 'get needs <taskId>'],
    [['send'], 'send needs "<text>"'],
    [['send', 'two', 'words'], 'unexpected argument "words" (quote text with spaces)'],
    [['list', '--page-size', 'ten'], '--page-size must be a whole number from 1 to 100 (got ten)'],
    [
      ['list', '--status', 'done'],
      'unknown --status "done" (submitted, working, completed, failed, canceled, input-required, rejected, auth-required)',
    ],
    [['get', 'x', '--stream'], '--stream is not an option of get'],
    [['send', 'x', '--stream', '--no-wait'], '--stream and --no-wait do not go together'],
  ])(
    'usage error %j is one line and exit 2',
    async (args, problem) => {
      const run = await a2a(args);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toBe(`npm run a2a: ${problem}\nSee \`npm run a2a -- --help\` for the options.\n`);
    },
    60_000,
  );
});
