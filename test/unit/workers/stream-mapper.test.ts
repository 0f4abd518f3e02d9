import { AIMessage, AIMessageChunk, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { TaskState } from '../../../core/a2a/task-state';
import type { AgentEvent } from '../../../core/ports/agent';
import { payloadParts, StreamMapper } from '../../../workers/graph-runtime/stream-mapper';

function mapper(step = 3) {
  const out: { source: string; event: AgentEvent; interruptId?: string }[] = [];
  const m = new StreamMapper(
    {
      answerName: 'answer',
      narrate: (msg) => (msg.type === 'tool' ? 'Processing...' : undefined),
    },
    () => step,
    (source, event, extra) => out.push({ source, event, ...extra }),
  );
  return { m, out };
}

const token = (text: string, id = 'run-1') => [
  'messages',
  [new AIMessageChunk({ content: text, id }), { langgraph_node: 'agent' }],
];

describe('mapping a graph stream to A2A events', () => {
  it('streams answer tokens as artifact chunks of at least 16 characters, the last one marked', () => {
    const { m, out } = mapper();
    for (const t of ['The rate ', 'is 0.92 ', 'EUR ', 'per USD', ' today.']) m.accept(token(t));
    m.accept(['updates', { agent: { messages: [new AIMessage({ content: 'x', id: 'run-1' })] } }]);
    expect(out.map((o) => [o.source, o.event])).toEqual([
      [
        'tok:agent',
        {
          kind: 'artifact',
          artifact: {
            artifactId: 'answer-3-agent-0',
            name: 'answer',
            parts: [{ text: 'The rate is 0.92 ' }],
          },
          append: false,
          lastChunk: false,
        },
      ],
      [
        'tok:agent',
        {
          kind: 'artifact',
          artifact: {
            artifactId: 'answer-3-agent-0',
            name: 'answer',
            parts: [{ text: 'EUR per USD today.' }],
          },
          append: true,
          lastChunk: true,
        },
      ],
    ]);
  });

  it('gives each message of a node its own artifact, and a whole message one final chunk', () => {
    const { m, out } = mapper(5);
    m.accept(token('first answer', 'run-1'));
    m.accept(token('second answer', 'run-2'));
    m.accept([
      'messages',
      [new AIMessage({ content: 'whole', id: 'node-out' }), { langgraph_node: 'agent' }],
    ]);
    const ids = out.map((o) =>
      o.event.kind === 'artifact' ? [o.event.artifact.artifactId, o.event.append, o.event.lastChunk] : [],
    );
    expect(ids).toEqual([
      ['answer-5-agent-0', false, true],
      ['answer-5-agent-1', false, true],
      ['answer-5-agent-2', false, true],
    ]);
    expect(out[2]?.source).toBe('msg:agent');
  });

  it('leaves tool calls and tool results out of the artifacts, narrating them as WORKING', () => {
    const { m, out } = mapper();
    const call = new AIMessageChunk({
      content: '',
      tool_call_chunks: [{ name: 'get_rate', args: '{}', id: 'c1', index: 0, type: 'tool_call_chunk' }],
    });
    m.accept(['messages', [call, { langgraph_node: 'agent' }]]);
    m.accept([
      'messages',
      [new ToolMessage({ content: '0.92', tool_call_id: 'c1' }), { langgraph_node: 'tools' }],
    ]);
    m.accept([
      'updates',
      { tools: { messages: [new ToolMessage({ content: '0.92', tool_call_id: 'c1' })] } },
    ]);
    expect(out).toEqual([
      {
        source: 'upd:tools',
        event: { kind: 'status', state: TaskState.Working, message: [{ text: 'Processing...' }] },
      },
    ]);
  });

  it('turns an interrupt into INPUT_REQUIRED with its payload, closes open streams, and ignores what follows', () => {
    const { m, out } = mapper();
    m.accept(token('partial'));
    m.accept(['updates', { __interrupt__: [{ id: 'i-1', value: { question: 'Which currency?' } }] }]);
    m.accept(token('late'));
    expect(m.interrupted).toBe(true);
    expect(out.map((o) => o.source)).toEqual(['tok:agent', 'int']);
    expect(out[1]).toEqual({
      source: 'int',
      interruptId: 'i-1',
      event: {
        kind: 'status',
        state: TaskState.InputRequired,
        message: [
          { text: 'Which currency?' },
          { data: { question: 'Which currency?' }, mediaType: 'application/json' },
        ],
      },
    });
  });

  it('maps the custom status and artifact payloads a node writes', () => {
    const { m, out } = mapper();
    m.accept(['custom', { a2a: 'status', text: 'Fetching rates' }]);
    m.accept([
      'custom',
      { a2a: 'artifact', artifactId: 'table', name: 'rates', data: { EUR: 0.92 }, lastChunk: true },
    ]);
    m.accept(['custom', { unrelated: true }]);
    expect(out.map((o) => o.event)).toEqual([
      { kind: 'status', state: TaskState.Working, message: [{ text: 'Fetching rates' }] },
      {
        kind: 'artifact',
        artifact: { artifactId: 'table', name: 'rates', parts: [{ data: { EUR: 0.92 } }] },
        lastChunk: true,
      },
    ]);
  });

  it('renders interrupt payloads of any shape as status parts', () => {
    expect(payloadParts('Which one?')).toEqual([{ text: 'Which one?' }]);
    expect(payloadParts({ field: 'to' })).toEqual([{ data: { field: 'to' }, mediaType: 'application/json' }]);
    expect(payloadParts(42)).toEqual([{ text: 'The agent needs more input.' }]);
  });
});
