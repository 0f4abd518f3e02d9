/**
 * Maps a graph's stream (streamMode ["updates", "messages", "custom"]) to A2A events, in order:
 * - messages: AI text becomes the answer artifact. Tokens stream as chunks of at least
 *   MIN_CHUNK_CHARS (`append` after the first; the text is held back until the next chunk starts,
 *   so the last one can say `lastChunk`); a message that arrives whole (a model that does not
 *   stream, or a node's own output) is one chunk. Messages with tool
 *   calls and no text, tool results and user messages are not artifacts.
 * - updates: a node's update closes its token stream and may be narrated (GraphAgent.narrate)
 *   as a WORKING status message; `__interrupt__` becomes INPUT_REQUIRED with the interrupt's
 *   payload as the status message.
 * - custom: `{ a2a: 'status', text }` and `{ a2a: 'artifact', ... }` payloads a node writes.
 * Sources (`tok:<node>`, `msg:<node>`, `upd:<node>`, `int`, `cus`) key the events (TaskLog): a
 * resumed step that re-produces them has its duplicates dropped. Artifact ids derive from step,
 * node and message order, so a re-run gives the same ids.
 */
import { type BaseMessage, isBaseMessage, isBaseMessageChunk } from '@langchain/core/messages';
import { TaskState } from '../../core/a2a/task-state';
import type { Part } from '../../core/a2a/types';
import type { AgentEvent } from '../../core/ports/agent';
import type { GraphAgent } from './graph-agent';

/** Tokens are gathered into chunks of at least this many characters (fewer events and commits). */
export const MIN_CHUNK_CHARS = 16;

export type MappedSink = (source: string, event: AgentEvent, extra?: { interruptId?: string }) => void;

interface TokenStream {
  messageId: string | undefined;
  artifactId: string;
  held?: string | undefined;
  sent: number;
}

interface InterruptLike {
  id?: string;
  value?: unknown;
}

export class StreamMapper {
  private readonly streams = new Map<string, TokenStream>();
  private readonly answers = new Map<string, number>();
  interrupted = false;

  constructor(
    private readonly agent: Pick<GraphAgent, 'narrate' | 'answerName'>,
    private readonly step: () => number,
    private readonly out: MappedSink,
  ) {}

  /** One stream chunk; synchronous, so the runtime's write barrier sees every chunk it was sent. */
  accept(chunk: unknown): void {
    if (!Array.isArray(chunk) || chunk.length !== 2 || this.interrupted) return;
    const [mode, payload] = chunk as [unknown, unknown];
    if (mode === 'messages' && Array.isArray(payload)) this.onMessage(payload[0], payload[1]);
    else if (mode === 'updates' && isRecord(payload)) this.onUpdates(payload);
    else if (mode === 'custom') this.onCustom(payload);
  }

  /** The stream ended: close the open token streams. */
  end(): void {
    for (const node of [...this.streams.keys()]) this.close(node);
  }

  private onMessage(message: unknown, metadata: unknown): void {
    if (!isBaseMessage(message) || message.type !== 'ai') return;
    const node =
      isRecord(metadata) && typeof metadata.langgraph_node === 'string' ? metadata.langgraph_node : 'graph';
    const text = message.text;
    const toolCalls = hasToolCalls(message);
    if (!isBaseMessageChunk(message)) {
      if (text === '' || toolCalls) return;
      this.close(node);
      this.out(`msg:${node}`, this.answerChunk(this.newAnswerId(node), text, false, true));
      return;
    }
    let stream = this.streams.get(node);
    if (stream && stream.messageId !== message.id) {
      this.close(node);
      stream = undefined;
    }
    if (text === '') return;
    if (!stream) {
      stream = { messageId: message.id, artifactId: this.newAnswerId(node), sent: 0 };
      this.streams.set(node, stream);
    }
    if (stream.held === undefined) stream.held = text;
    else if (stream.held.length < MIN_CHUNK_CHARS) stream.held += text;
    else {
      this.send(node, stream, stream.held, false);
      stream.held = text;
    }
  }

  private onUpdates(updates: Record<string, unknown>): void {
    for (const [node, update] of Object.entries(updates)) {
      if (node === '__interrupt__') {
        this.onInterrupt(Array.isArray(update) ? (update as InterruptLike[]) : []);
        return;
      }
      this.close(node);
      for (const message of messagesOf(update)) {
        const text = this.agent.narrate?.(message);
        if (text) this.out(`upd:${node}`, { kind: 'status', state: TaskState.Working, message: [{ text }] });
      }
    }
  }

  private onInterrupt(interrupts: InterruptLike[]): void {
    const first = interrupts[0];
    if (!first) return;
    this.end();
    this.interrupted = true;
    const event: AgentEvent = {
      kind: 'status',
      state: TaskState.InputRequired,
      message: payloadParts(first.value),
    };
    this.out('int', event, first.id === undefined ? {} : { interruptId: first.id });
  }

  private onCustom(payload: unknown): void {
    if (!isRecord(payload)) return;
    if (payload.a2a === 'status' && typeof payload.text === 'string') {
      this.out('cus', { kind: 'status', state: TaskState.Working, message: [{ text: payload.text }] });
    } else if (payload.a2a === 'artifact' && typeof payload.artifactId === 'string') {
      const part: Part =
        typeof payload.text === 'string' ? { text: payload.text } : { data: payload.data ?? null };
      const event: AgentEvent = {
        kind: 'artifact',
        artifact: { artifactId: payload.artifactId, parts: [part] },
      };
      if (typeof payload.name === 'string') event.artifact.name = payload.name;
      if (typeof payload.append === 'boolean') event.append = payload.append;
      if (typeof payload.lastChunk === 'boolean') event.lastChunk = payload.lastChunk;
      this.out('cus', event);
    }
  }

  private close(node: string): void {
    const stream = this.streams.get(node);
    if (!stream) return;
    this.streams.delete(node);
    if (stream.held !== undefined) this.send(node, stream, stream.held, true);
  }

  private send(node: string, stream: TokenStream, text: string, last: boolean): void {
    this.out(`tok:${node}`, this.answerChunk(stream.artifactId, text, stream.sent > 0, last));
    stream.sent += 1;
    stream.held = undefined;
  }

  private answerChunk(artifactId: string, text: string, append: boolean, lastChunk: boolean): AgentEvent {
    return {
      kind: 'artifact',
      artifact: { artifactId, name: this.agent.answerName, parts: [{ text }] },
      append,
      lastChunk,
    };
  }

  /** `<answerName>-<step>-<node>-<n>`: the n-th answer a node gave in a step. */
  private newAnswerId(node: string): string {
    const key = `${this.step()}-${node}`;
    const n = this.answers.get(key) ?? 0;
    this.answers.set(key, n + 1);
    return `${this.agent.answerName}-${key}-${n}`;
  }
}

/** An interrupt payload as status message parts: its question as text, an object also as data. */
export function payloadParts(value: unknown): Part[] {
  if (typeof value === 'string') return [{ text: value }];
  if (isRecord(value)) {
    const text = [value.question, value.message, value.text].find((v): v is string => typeof v === 'string');
    const data: Part = { data: value, mediaType: 'application/json' };
    return text === undefined ? [data] : [{ text }, data];
  }
  return [{ text: 'The agent needs more input.' }];
}

function messagesOf(update: unknown): BaseMessage[] {
  if (!isRecord(update)) return [];
  const m = update.messages;
  const list = Array.isArray(m) ? m : [m];
  return list.filter((x): x is BaseMessage => isBaseMessage(x));
}

function hasToolCalls(message: BaseMessage): boolean {
  const m = message as BaseMessage & { tool_calls?: unknown[]; tool_call_chunks?: unknown[] };
  return (m.tool_calls?.length ?? 0) > 0 || (m.tool_call_chunks?.length ?? 0) > 0;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
