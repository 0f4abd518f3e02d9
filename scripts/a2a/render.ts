/**
 * What `npm run a2a` prints. Human-readable by default: the task id, its state, the agent's text
 * and the artifacts; while a task runs, each state change and the streamed text as it arrives (a
 * spinner only when stdout is a terminal). With `--json`: the SDK's JSON of each result, one
 * object per line (a stream prints one line per event).
 */
import {
  type Artifact,
  ListTasksResponse,
  Message,
  type Part,
  Role,
  StreamResponse,
  Task,
  TaskState,
  taskStateToJSON,
} from '@a2a-js/sdk';

/** The states after which a task does not move without the client: terminal or interrupted. */
const SETTLED = new Set<TaskState>([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
  TaskState.TASK_STATE_INPUT_REQUIRED,
  TaskState.TASK_STATE_AUTH_REQUIRED,
]);

export const isSettled = (state: TaskState | undefined): boolean => state !== undefined && SETTLED.has(state);

/** `TASK_STATE_INPUT_REQUIRED` → `input-required` */
export const stateName = (state: TaskState | undefined): string =>
  taskStateToJSON(state ?? TaskState.TASK_STATE_UNSPECIFIED)
    .replace(/^TASK_STATE_/, '')
    .toLowerCase()
    .replace(/_/g, '-');

export function partText(part: Part): string {
  const c = part.content;
  switch (c?.$case) {
    case 'text':
      return c.value;
    case 'data':
      return JSON.stringify(c.value);
    case 'url':
      return `${part.filename ? `${part.filename} ` : ''}<${c.value}>`;
    case 'raw':
      return `[${part.filename || 'file'}, ${part.mediaType || 'bytes'}, ${c.value.length} bytes]`;
    default:
      return '';
  }
}

const messageText = (m: Message | undefined): string => (m?.parts ?? []).map(partText).join('');
const artifactLabel = (a: Artifact): string => a.name || a.artifactId;

export class Output {
  private spinnerTimer: NodeJS.Timeout | undefined;
  private spinnerFrame = 0;
  private spinnerText = '';
  /** an artifact's streamed text is being written on the current line */
  private openLine = false;
  private lastState: TaskState | undefined;

  constructor(
    readonly json: boolean,
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly err: NodeJS.WriteStream = process.stderr,
  ) {}

  /** One line on stdout (ends a streamed line and the spinner first). */
  line(text: string): void {
    this.pauseSpinner();
    this.endOpenLine();
    this.out.write(`${text}\n`);
  }

  /** A notice that is not the result (reconnects, hints): stderr, so `--json` stays parseable. */
  notice(text: string): void {
    this.pauseSpinner();
    this.endOpenLine();
    this.err.write(`${text}\n`);
  }

  /** Shows `text` with a spinner while waiting; only on a terminal, never with --json. */
  waiting(text: string): void {
    if (this.json || !this.out.isTTY) return;
    this.spinnerText = text;
    this.spinnerTimer ??= setInterval(() => {
      if (this.openLine) return;
      const frame = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.spinnerFrame++ % 10];
      this.out.write(`\r${frame} ${this.spinnerText}\x1b[K`);
    }, 100);
  }

  done(): void {
    this.pauseSpinner();
    this.endOpenLine();
    if (this.spinnerTimer) clearInterval(this.spinnerTimer);
    this.spinnerTimer = undefined;
  }

  /** A task: id, context, state, the agent's status text, artifacts (and `history` when asked). */
  task(task: Task, o: { history?: boolean } = {}): void {
    this.lastState = task.status?.state; // a stream that follows it then prints only what changes
    if (this.json) {
      this.line(JSON.stringify(Task.toJSON(task)));
      return;
    }
    this.line(`task     ${task.id}`);
    this.line(`context  ${task.contextId}`);
    this.line(`state    ${stateName(task.status?.state)}`);
    const said = messageText(task.status?.message);
    if (said) this.line(`agent    ${said}`);
    for (const a of task.artifacts)
      this.line(`artifact ${artifactLabel(a)}: ${a.parts.map(partText).join('')}`);
    if (!o.history) return;
    for (const m of task.history)
      this.line(`history  ${m.role === Role.ROLE_USER ? 'user' : 'agent'}: ${messageText(m)}`);
  }

  message(message: Message): void {
    if (this.json) {
      this.line(JSON.stringify(Message.toJSON(message)));
      return;
    }
    this.line(`agent    ${messageText(message)}`);
  }

  /** SendMessage's result, as the wire names it: `{"task": …}` or `{"message": …}` with --json. */
  sendResult(result: Task | Message): void {
    const isMessage = 'messageId' in result;
    if (this.json) {
      const body = isMessage ? { message: Message.toJSON(result) } : { task: Task.toJSON(result) };
      this.line(JSON.stringify(body));
      return;
    }
    if (isMessage) this.message(result);
    else this.task(result);
  }

  list(page: ListTasksResponse): void {
    if (this.json) {
      this.line(JSON.stringify(ListTasksResponse.toJSON(page)));
      return;
    }
    if (page.tasks.length === 0) this.line('no tasks');
    for (const t of page.tasks) {
      const when = t.status?.timestamp ?? '';
      this.line(`${t.id}  ${stateName(t.status?.state).padEnd(14)} ${when}  context ${t.contextId}`);
    }
    if (page.nextPageToken) this.line(`more: --page-token ${page.nextPageToken}`);
  }

  /** One streamed event; returns the task state it carries (a direct Message counts as completed). */
  event(ev: StreamResponse): { taskId?: string; state?: TaskState } {
    if (this.json) this.line(JSON.stringify(StreamResponse.toJSON(ev)));
    const p = ev.payload;
    switch (p?.$case) {
      case 'task':
        if (!this.json) {
          if (this.lastState === undefined) this.line(`task     ${p.value.id}`);
          this.status(p.value.status?.state, messageText(p.value.status?.message));
        }
        this.lastState = p.value.status?.state;
        return { taskId: p.value.id, ...stateOf(p.value.status?.state) };
      case 'statusUpdate':
        if (!this.json) this.status(p.value.status?.state, messageText(p.value.status?.message));
        this.lastState = p.value.status?.state;
        return { taskId: p.value.taskId, ...stateOf(p.value.status?.state) };
      case 'artifactUpdate':
        if (!this.json && p.value.artifact)
          this.artifactChunk(p.value.artifact, p.value.append, p.value.lastChunk);
        return { taskId: p.value.taskId };
      case 'message':
        if (!this.json) this.message(p.value);
        return { state: TaskState.TASK_STATE_COMPLETED };
      default:
        return {};
    }
  }

  private status(state: TaskState | undefined, said: string): void {
    if (state !== this.lastState) this.line(`state    ${stateName(state)}`);
    if (said) this.line(`agent    ${said}`);
    if (!isSettled(state)) this.waiting(stateName(state));
  }

  /** An artifact's text as it streams: a new artifact starts a line, appended chunks continue it. */
  private artifactChunk(a: Artifact, append: boolean, lastChunk: boolean): void {
    if (!(append && this.openLine)) {
      this.pauseSpinner();
      this.endOpenLine();
      this.out.write(`artifact ${artifactLabel(a)}: `);
      this.openLine = true;
    }
    this.out.write(a.parts.map(partText).join(''));
    if (lastChunk) this.endOpenLine();
  }

  private endOpenLine(): void {
    if (!this.openLine) return;
    this.openLine = false;
    this.out.write('\n');
  }

  private pauseSpinner(): void {
    if (this.spinnerTimer && !this.json && this.out.isTTY) this.out.write('\r\x1b[K');
  }
}

const stateOf = (state: TaskState | undefined): { state?: TaskState } =>
  state === undefined ? {} : { state };
