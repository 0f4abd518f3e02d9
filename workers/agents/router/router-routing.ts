/**
 * The offline router's "understanding": a request is split into questions, and each question
 * goes to the agent whose card words it shares most, weighted by where they appear (id, name and
 * skill tags count most, skill names next, examples and descriptions least). Questions for the
 * same agent are sent together; a question no agent fits is kept, so the answer can name it.
 * Deterministic: the same request and cards give the same plan.
 *
 * Splitting: sentence ends (. ? ! ;) and "also" / "and then" always split. Within a sentence,
 * ", and", "and", "plus" and commas split only between clauses, judged by what the agents
 * recognise: the two sides go to different agents, or the right side opens a new question
 * ("how much …", "what is …") after a left side that is a question of its own, or one side goes to
 * an agent and the other is a clause of its own (two words or more) that none fits. So "between USD
 * and GBP" and "100 USD and 50 JPY" stay one currency question.
 */
import type { AgentDescriptor } from '../../../core/agent-catalog';

export interface RoutePlan {
  steps: RouteStep[];
  /** the questions no agent fits, in the order asked */
  unrouted: string[];
}

export interface RouteStep {
  agentId: string;
  /** the questions for this agent, as one task */
  task: string;
}

const STOPWORDS = new Set(
  (
    'a an and are as at be by can could do does for from how i in is it its me my of on or please ' +
    'tell that the this to what whats when where which who will with would you your also then there ' +
    'about into than them they we our us was were been has have had not no yes so if'
  ).split(' '),
);

/** Words that open a new question or request when a clause starts with them. */
const CLAUSE_OPENERS = new Set(
  (
    'what whats how which who whom whose where when why is are was can could will would should do does ' +
    'did tell give show convert find get check list translate compute calculate explain'
  ).split(' '),
);

/** Where a sentence may hold two clauses: commas, "and", "plus" (with the spaces around them). */
const CLAUSE_JOINS = /\s*,\s*(?:and|but|plus)\s+|\s*,\s+|\s+(?:and|plus)\s+/giu;

/** Which agent a question goes to (undefined: none fits). */
export type Route = (question: string) => string | undefined;

/**
 * Questions in order: split at sentence ends and at "also" / "and then" joins, and, given `route`,
 * between the clauses of one sentence (see the top of this file).
 */
export function splitQuestions(text: string, route?: Route): string[] {
  return text
    .split(/(?<=[.?!;])\s+|\s+(?:and also|and then|also)\s+/i)
    .map((s) => s.trim().replace(/^(?:and|also|then)\s+/i, ''))
    .flatMap((s) => (route ? splitClauses(s, route) : [s]))
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

function splitClauses(sentence: string, route: Route): string[] {
  // the pieces between the joins, as [from, to) offsets, so a clause keeps its own joins
  const pieces: [number, number][] = [];
  let from = 0;
  for (const join of sentence.matchAll(CLAUSE_JOINS)) {
    pieces.push([from, join.index]);
    from = join.index + join[0].length;
  }
  pieces.push([from, sentence.length]);
  const clauses: string[] = [];
  let [start, end] = pieces[0] ?? [0, sentence.length];
  for (const [pieceFrom, pieceTo] of pieces.slice(1)) {
    const left = sentence.slice(start, end);
    if (standsApart(left, sentence.slice(pieceFrom, pieceTo), route)) {
      clauses.push(left);
      start = pieceFrom;
    }
    end = pieceTo;
  }
  clauses.push(sentence.slice(start, end));
  return clauses.map((c) => c.trim());
}

function standsApart(left: string, right: string, route: Route): boolean {
  if (words(left).length === 0 || words(right).length === 0) return false;
  const l = route(left);
  const r = route(right);
  if (l !== undefined && r !== undefined) return l !== r;
  const opener = CLAUSE_OPENERS.has(
    right
      .trim()
      .split(/\s+/)[0]
      ?.toLowerCase()
      .replace(/['’]s$/, '') ?? '',
  );
  if (opener) return l !== undefined || isClause(left);
  if (l === undefined && r === undefined) return false;
  return isClause(l === undefined ? left : right);
}

/** Two words or more of three letters or more: a clause, not a lone currency code or number. */
const isClause = (text: string): boolean => words(text).filter((w) => /^\p{L}{3,}$/u.test(w)).length >= 2;

export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** Each word of an agent's card with the weight of where it appears (the highest). */
export function agentTerms(agent: AgentDescriptor): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const w of words(text)) terms.set(w, Math.max(terms.get(w) ?? 0, weight));
  };
  add(agent.description, 1);
  for (const s of agent.skills) {
    add(s.description, 1);
    for (const e of s.examples ?? []) add(e, 1);
    add(s.name, 2);
    for (const t of s.tags) add(t, 3);
  }
  add(`${agent.id.replaceAll('-', ' ')} ${agent.name}`, 3);
  return terms;
}

function score(question: string, terms: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const w of new Set(words(question))) {
    const exact = terms.get(w);
    if (exact !== undefined) total += exact;
    else if (w.length >= 5) {
      // "convert" and "conversion": a shared stem of five letters counts half
      for (const [term, weight] of terms)
        if (term.length >= 5 && term.slice(0, 5) === w.slice(0, 5)) total += weight / 2;
    }
  }
  return total;
}

export function planRoutes(text: string, agents: readonly AgentDescriptor[]): RoutePlan {
  const terms = agents.map((a) => ({ agent: a, terms: agentTerms(a) }));
  const route: Route = (question) => {
    let best: { id: string; score: number } | undefined;
    for (const { agent, terms: t } of terms) {
      const s = score(question, t);
      if (s > 0 && (best === undefined || s > best.score)) best = { id: agent.id, score: s };
    }
    return best?.id;
  };
  const plan: RoutePlan = { steps: [], unrouted: [] };
  for (const question of splitQuestions(text, route)) {
    const id = route(question);
    if (id === undefined) {
      plan.unrouted.push(question);
      continue;
    }
    const step = plan.steps.find((p) => p.agentId === id);
    if (step) step.task = `${step.task} ${question}`;
    else plan.steps.push({ agentId: id, task: question });
  }
  return plan;
}
