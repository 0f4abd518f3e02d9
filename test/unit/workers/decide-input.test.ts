import { describe, expect, it } from 'vitest';
import { decideInput, type GraphPosition } from '../../../workers/graph-runtime/decide-input';

const idle: GraphPosition = { hasCheckpoint: true, pending: [], interrupts: [], answered: {} };
const task = { turn: 'm2', ranBefore: true };
const asked = { id: 'i-1', turn: 'm1', asks: 1 };

describe('deciding what a run hands the graph', () => {
  it('starts a first turn with its input', () => {
    expect(decideInput({ ...idle, hasCheckpoint: false }, { turn: 'm1', ranBefore: false })).toEqual({
      action: 'input',
    });
  });

  it('reports lost state when a graph that ran has no checkpoint any more', () => {
    expect(decideInput({ ...idle, hasCheckpoint: false }, task)).toEqual({ action: 'lost' });
  });

  it('resumes the interrupt the task asked about with the reply of a later turn', () => {
    const graph = { ...idle, pending: ['tools'], interrupts: ['i-1'] };
    expect(decideInput(graph, { ...task, asked })).toEqual({ action: 'resume', interruptId: 'i-1' });
  });

  it('resumes an asked interrupt even when a crash kept it out of the checkpoint', () => {
    expect(decideInput({ ...idle, pending: ['tools'] }, { ...task, asked })).toEqual({
      action: 'resume',
      interruptId: 'i-1',
    });
  });

  it('does not hand an answer twice to a node that already consumed it and asked again', () => {
    const graph = { ...idle, pending: ['tools'], interrupts: ['i-1'], answered: { 'i-1': 1 } };
    expect(decideInput(graph, { ...task, asked })).toEqual({ action: 'continue' });
    expect(
      decideInput(graph, { turn: 'm3', ranBefore: true, asked: { ...asked, turn: 'm2', asks: 2 } }),
    ).toEqual({
      action: 'resume',
      interruptId: 'i-1',
    });
  });

  it('continues (re-raising it) an interrupt that was never reported to the client', () => {
    const graph = { ...idle, pending: ['tools'], interrupts: ['i-2'] };
    expect(decideInput(graph, task)).toEqual({ action: 'continue' });
  });

  it('continues a graph that crashed with work left, run or not', () => {
    expect(decideInput({ ...idle, pending: ['agent'], stampedTurn: 'm2' }, task)).toEqual({
      action: 'continue',
    });
  });

  it('only finishes a graph that already took this turn', () => {
    expect(decideInput({ ...idle, stampedTurn: 'm2' }, { ...task, asked })).toEqual({ action: 'finish' });
  });

  it('starts a new turn on a graph that finished an earlier one', () => {
    expect(decideInput({ ...idle, stampedTurn: 'm1' }, task)).toEqual({ action: 'input' });
  });
});
