/**
 * A remote agent card is untrusted input. This turns one into what the gateway serves and routes
 * by (an AgentDescriptor) and what the worker calls (a RemoteEndpoint), and nothing else:
 * - every string is cleaned (control and invisible format characters stripped, whitespace
 *   collapsed, prompt-framing characters `< > \`` replaced) and capped;
 * - skills, tags, examples and modes are capped in number; skill ids are reduced to a safe set;
 * - only JSON-RPC interfaces with an http(s) URL are kept (the worker vets each URL again with the
 *   SSRF guard before every call).
 * The card's own security, provider, URLs and extensions are never served: the gateway's card
 * carries the gateway's URL and security.
 */
import type { AgentDescriptor, AgentSkill } from './agent-catalog';
import type { RemoteAgentConfig } from './remote-agents';

export interface RemoteCardLimits {
  maxSkills: number;
  nameChars: number;
  descriptionChars: number;
  skillDescriptionChars: number;
  maxTags: number;
  tagChars: number;
  maxExamples: number;
  exampleChars: number;
  maxModes: number;
  maxInterfaces: number;
}

export const DEFAULT_REMOTE_CARD_LIMITS: Readonly<RemoteCardLimits> = Object.freeze({
  maxSkills: 32,
  nameChars: 128,
  descriptionChars: 1024,
  skillDescriptionChars: 512,
  maxTags: 16,
  tagChars: 64,
  maxExamples: 8,
  exampleChars: 256,
  maxModes: 16,
  maxInterfaces: 8,
});

export interface RemoteInterface {
  url: string;
  protocolBinding: 'JSONRPC';
  /** "1.0", or "0.3" for agents on the previous protocol */
  protocolVersion: string;
  tenant?: string;
}

/** What the worker needs to call the remote agent. */
export interface RemoteEndpoint {
  interfaces: RemoteInterface[];
  /** the card says it streams and the config does not forbid it */
  streaming: boolean;
}

export interface SanitizedRemoteCard {
  descriptor: AgentDescriptor;
  endpoint: RemoteEndpoint;
}

/** The card cannot be used at all (no usable interface, not an object). */
export class RemoteCardRejectedError extends Error {
  override readonly name = 'RemoteCardRejectedError';
  static readonly code = 'ERR_REMOTE_CARD_REJECTED';
  readonly code = RemoteCardRejectedError.code;
}

const DEFAULT_MODES = ['text/plain', 'application/json'];
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9*][a-z0-9!#$&^_.+*-]{0,63}$/;
const SKILL_ID = /[^A-Za-z0-9._-]+/g;
const VERSION = /^\d{1,4}\.\d{1,4}(\.\d{1,4})?$/;
// C0/C1 controls, and format characters: zero-width, bidi embeddings/overrides/isolates, BOM, tags.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const FRAMING: Readonly<Record<string, string>> = { '<': '‹', '>': '›', '`': "'" };

/**
 * Untrusted text as data: well-formed, no control or invisible characters, one line, no
 * characters that open or close prompt markup, at most `max` characters (an ellipsis marks a cut).
 */
export function sanitizeText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  const cleaned = value
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFKC')
    .replace(INVISIBLE, ' ')
    .replace(/[<>`]/g, (c) => FRAMING[c] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(cleaned);
  return chars.length <= max ? cleaned : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export function sanitizeRemoteCard(
  raw: unknown,
  config: Pick<RemoteAgentConfig, 'id' | 'name' | 'description' | 'streaming'>,
  limits: RemoteCardLimits = DEFAULT_REMOTE_CARD_LIMITS,
): SanitizedRemoteCard {
  if (!isRecord(raw)) throw new RemoteCardRejectedError('the card is not a JSON object');
  const interfaces = interfacesOf(raw, limits);
  if (interfaces.length === 0) throw new RemoteCardRejectedError('the card declares no JSON-RPC interface');
  const name = config.name ?? (sanitizeText(raw.name, limits.nameChars) || config.id);
  const description =
    config.description ??
    (sanitizeText(raw.description, limits.descriptionChars) || `Remote A2A agent ${config.id}`);
  const capabilities = isRecord(raw.capabilities) ? raw.capabilities : {};
  const version = typeof raw.version === 'string' ? sanitizeText(raw.version, 64) : '';
  const skills = skillsOf(raw.skills, limits);
  const descriptor: AgentDescriptor = {
    id: config.id,
    name,
    description,
    version: version || '1.0.0',
    defaultInputModes: modesOf(raw.defaultInputModes, limits) ?? DEFAULT_MODES,
    defaultOutputModes: modesOf(raw.defaultOutputModes, limits) ?? DEFAULT_MODES,
    skills: skills.length > 0 ? skills : [genericSkill(name, description)],
  };
  return {
    descriptor,
    endpoint: { interfaces, streaming: capabilities.streaming === true && config.streaming !== false },
  };
}

/** The card served for a remote agent whose card could not be fetched at startup (config named it). */
export function fallbackRemoteDescriptor(
  config: Pick<RemoteAgentConfig, 'id' | 'name' | 'description'>,
): AgentDescriptor | undefined {
  return config.name === undefined ? undefined : configDescriptor(config, config.name);
}

function configDescriptor(
  config: Pick<RemoteAgentConfig, 'id' | 'description'>,
  name: string,
): AgentDescriptor {
  const description = config.description ?? `Remote A2A agent ${config.id}`;
  return {
    id: config.id,
    name,
    description,
    version: '0.0.0',
    defaultInputModes: DEFAULT_MODES,
    defaultOutputModes: DEFAULT_MODES,
    skills: [genericSkill(name, description)],
  };
}

/**
 * The worker's entry for every configured remote agent: its loaded card, else the config's card,
 * else a bare one (the worker resolves the real card when a task arrives). A worker that could not
 * reach a card at its cold start must still run the tasks a gateway accepted for that agent.
 * Ids taken by local agents are left out, as the loader leaves them out.
 */
export function remoteWorkerDescriptors(
  configs: readonly Pick<RemoteAgentConfig, 'id' | 'name' | 'description'>[],
  loaded: readonly { descriptor: AgentDescriptor }[],
  reservedIds: readonly string[],
): AgentDescriptor[] {
  return configs
    .filter((c) => !reservedIds.includes(c.id))
    .map(
      (c) => loaded.find((l) => l.descriptor.id === c.id)?.descriptor ?? configDescriptor(c, c.name ?? c.id),
    );
}

function interfacesOf(raw: Record<string, unknown>, limits: RemoteCardLimits): RemoteInterface[] {
  const declared: unknown[] = Array.isArray(raw.supportedInterfaces)
    ? raw.supportedInterfaces
    : // a 0.3 card: `url` + `preferredTransport`, more in `additionalInterfaces`
      [
        { url: raw.url, protocolBinding: raw.preferredTransport ?? 'JSONRPC', protocolVersion: '0.3' },
        ...(Array.isArray(raw.additionalInterfaces)
          ? raw.additionalInterfaces.map((i: unknown) =>
              isRecord(i) ? { url: i.url, protocolBinding: i.transport, protocolVersion: '0.3' } : i,
            )
          : []),
      ];
  const out: RemoteInterface[] = [];
  for (const entry of declared.slice(0, limits.maxInterfaces * 4)) {
    if (!isRecord(entry) || entry.protocolBinding !== 'JSONRPC' || !isHttpUrl(entry.url)) continue;
    const version = typeof entry.protocolVersion === 'string' ? entry.protocolVersion.trim() : '';
    const protocolVersion = version === '' ? '1.0' : VERSION.test(version) ? version : undefined;
    if (protocolVersion === undefined) continue;
    const iface: RemoteInterface = { url: entry.url, protocolBinding: 'JSONRPC', protocolVersion };
    if (typeof entry.tenant === 'string' && /^[\w.:-]{1,256}$/.test(entry.tenant))
      iface.tenant = entry.tenant;
    out.push(iface);
    if (out.length >= limits.maxInterfaces) break;
  }
  return out;
}

function skillsOf(raw: unknown, limits: RemoteCardLimits): AgentSkill[] {
  if (!Array.isArray(raw)) return [];
  const ids = new Set<string>();
  const out: AgentSkill[] = [];
  for (const entry of raw) {
    if (out.length >= limits.maxSkills) break;
    if (!isRecord(entry)) continue;
    const name = sanitizeText(entry.name, limits.nameChars);
    const description = sanitizeText(entry.description, limits.skillDescriptionChars);
    if (name === '' && description === '') continue;
    let id = (typeof entry.id === 'string' ? entry.id : '').replace(SKILL_ID, '-').slice(0, 64);
    if (id === '' || id === '-' || ids.has(id)) id = `skill-${out.length + 1}`;
    ids.add(id);
    const skill: AgentSkill = {
      id,
      name: name || id,
      description: description || name,
      tags: texts(entry.tags, limits.maxTags, limits.tagChars),
    };
    const examples = texts(entry.examples, limits.maxExamples, limits.exampleChars);
    if (examples.length > 0) skill.examples = examples;
    const inputModes = modesOf(entry.inputModes, limits);
    const outputModes = modesOf(entry.outputModes, limits);
    if (inputModes) skill.inputModes = inputModes;
    if (outputModes) skill.outputModes = outputModes;
    out.push(skill);
  }
  return out;
}

function texts(raw: unknown, maxItems: number, maxChars: number): string[] {
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const v of raw) {
    if (out.length >= maxItems) break;
    const t = sanitizeText(v, maxChars);
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Valid media types only; undefined when none are left (the caller picks a default). */
function modesOf(raw: unknown, limits: RemoteCardLimits): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const modes = raw
    .filter((m): m is string => typeof m === 'string')
    .map((m) => m.trim().toLowerCase())
    .filter((m) => MEDIA_TYPE.test(m));
  const unique = [...new Set(modes)].slice(0, limits.maxModes);
  return unique.length > 0 ? unique : undefined;
}

const genericSkill = (name: string, description: string): AgentSkill => ({
  id: 'remote',
  name,
  description,
  tags: ['remote'],
});

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > 2048 || !URL.canParse(v)) return false;
  const url = new URL(v);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
