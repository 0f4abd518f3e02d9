/**
 * The offline router's "understanding": a request is split into questions, and each question
 * goes to the agent whose card words it shares most, weighted by where they appear (id, name and
 * skill tags count most, skill names next, examples and descriptions least). Questions for the
 * same agent are sent together. Deterministic: the same request and cards give the same plan.
 */
import type { AgentDescriptor } from '../../../core/agent-catalog';

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

/** Questions in order: split at sentence ends and at "also" / "and then" joins. */
export function splitQuestions(text: string): string[] {
  return text
    .split(/(?<=[.?!;])\s+|\s+(?:and also|and then|also)\s+/i)
    .map((s) => s.trim().replace(/^(?:and|also|then)\s+/i, ''))
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

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

export function planRoutes(text: string, agents: readonly AgentDescriptor[]): RouteStep[] {
  const terms = agents.map((a) => ({ agent: a, terms: agentTerms(a) }));
  const plan: RouteStep[] = [];
  for (const question of splitQuestions(text)) {
    let best: { id: string; score: number } | undefined;
    for (const { agent, terms: t } of terms) {
      const s = score(question, t);
      if (s > 0 && (best === undefined || s > best.score)) best = { id: agent.id, score: s };
    }
    if (!best) continue;
    const id = best.id;
    const step = plan.find((p) => p.agentId === id);
    if (step) step.task = `${step.task} ${question}`;
    else plan.push({ agentId: id, task: question });
  }
  return plan;
}
