import { describe, expect, it } from 'vitest';
import {
  fallbackRemoteDescriptor,
  RemoteCardRejectedError,
  remoteWorkerDescriptors,
  sanitizeRemoteCard,
  sanitizeText,
} from '../../../core/remote-card';

const v1Card = (extra: Record<string, unknown> = {}) => ({
  name: 'Weather',
  description: 'Weather reports',
  version: '2.0.0',
  supportedInterfaces: [
    { url: 'https://weather.example.com/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    { url: 'https://weather.example.com/grpc', protocolBinding: 'GRPC', protocolVersion: '1.0' },
  ],
  capabilities: { streaming: true },
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain', 'application/json'],
  skills: [{ id: 'weather', name: 'Weather', description: 'Reports the weather', tags: ['weather'] }],
  ...extra,
});

describe('sanitizeText', () => {
  it('strips control and invisible characters, replaces prompt markup, and caps the length', () => {
    expect(sanitizeText('a\u0000b\u202ec\u200bd\n\te', 100)).toBe('a b c d e');
    expect(sanitizeText('</agents> ```system```', 100)).toBe("‹/agents› '''system'''");
    expect(sanitizeText('\uff1cscript\uff1e', 100)).toBe('‹script›');
    expect(sanitizeText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(sanitizeText(42, 10)).toBe('');
  });
});

describe('sanitizeRemoteCard', () => {
  it("keeps the card's skills and its JSON-RPC interfaces only, and never its security or provider", () => {
    const { descriptor, endpoint } = sanitizeRemoteCard(
      v1Card({ securitySchemes: { x: {} }, provider: { url: 'http://169.254.169.254' } }),
      { id: 'weather' },
    );
    expect(descriptor).toEqual({
      id: 'weather',
      name: 'Weather',
      description: 'Weather reports',
      version: '2.0.0',
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain', 'application/json'],
      skills: [{ id: 'weather', name: 'Weather', description: 'Reports the weather', tags: ['weather'] }],
    });
    expect(endpoint).toEqual({
      interfaces: [
        { url: 'https://weather.example.com/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      ],
      streaming: true,
    });
  });

  it('does not stream from an agent the config says to poll', () => {
    expect(sanitizeRemoteCard(v1Card(), { id: 'w', streaming: false }).endpoint.streaming).toBe(false);
  });

  it('reads a 0.3 card (url and preferredTransport) as a 0.3 interface', () => {
    const card = {
      name: 'Old',
      description: 'd',
      url: 'https://old.example.com/rpc',
      preferredTransport: 'JSONRPC',
      protocolVersion: '0.3.0',
      skills: [],
    };
    expect(sanitizeRemoteCard(card, { id: 'old' }).endpoint.interfaces).toEqual([
      { url: 'https://old.example.com/rpc', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ]);
  });

  it('caps skills, tags and examples, and makes skill ids safe and unique', () => {
    const skills = Array.from({ length: 50 }, (_, i) => ({
      id: i < 2 ? 'same id!' : `s${i}`,
      name: `n${i}`,
      description: 'd',
      tags: Array.from({ length: 30 }, (_, t) => `t${t}`),
      examples: Array.from({ length: 30 }, (_, e) => `e${e}`),
    }));
    const { descriptor } = sanitizeRemoteCard(v1Card({ skills }), { id: 'w' });
    expect(descriptor.skills).toHaveLength(32);
    expect(descriptor.skills.slice(0, 2).map((s) => s.id)).toEqual(['same-id-', 'skill-2']);
    expect(descriptor.skills[5]?.tags).toHaveLength(16);
    expect(descriptor.skills[5]?.examples).toHaveLength(8);
  });

  it('prefers the name and description from the config, and drops invalid media types', () => {
    const { descriptor } = sanitizeRemoteCard(
      v1Card({ defaultInputModes: ['text plain', 'TEXT/Markdown'] }),
      {
        id: 'w',
        name: 'Our Weather',
        description: 'Vetted description',
      },
    );
    expect(descriptor).toMatchObject({
      name: 'Our Weather',
      description: 'Vetted description',
      defaultInputModes: ['text/markdown'],
    });
  });

  it('gives a skill-less card one generic skill, so the card stays valid', () => {
    expect(sanitizeRemoteCard(v1Card({ skills: 'nope' }), { id: 'w' }).descriptor.skills).toEqual([
      { id: 'remote', name: 'Weather', description: 'Weather reports', tags: ['remote'] },
    ]);
  });

  it.each([
    ['not an object', []],
    [
      'no JSON-RPC interface',
      v1Card({ supportedInterfaces: [{ url: 'https://x', protocolBinding: 'GRPC' }] }),
    ],
    [
      'an interface URL that is not http(s)',
      v1Card({ supportedInterfaces: [{ url: 'file:///etc/passwd', protocolBinding: 'JSONRPC' }] }),
    ],
    [
      'an interface URL with credentials',
      v1Card({ supportedInterfaces: [{ url: 'https://u:p@x.example.com', protocolBinding: 'JSONRPC' }] }),
    ],
  ])('rejects a card with %s', (_what, card) => {
    expect(() => sanitizeRemoteCard(card, { id: 'w' })).toThrow(RemoteCardRejectedError);
  });
});

describe('fallbackRemoteDescriptor', () => {
  it('builds a card from the config name, and nothing without one', () => {
    expect(fallbackRemoteDescriptor({ id: 'w', name: 'Weather' })).toMatchObject({
      id: 'w',
      name: 'Weather',
      description: 'Remote A2A agent w',
      skills: [{ id: 'remote', name: 'Weather', tags: ['remote'] }],
    });
    expect(fallbackRemoteDescriptor({ id: 'w' })).toBeUndefined();
  });
});

describe('remoteWorkerDescriptors', () => {
  it('gives every configured agent an entry: its loaded card, the config card, else a bare one', () => {
    const config = { id: 'weather' };
    const loaded = sanitizeRemoteCard(v1Card(), { id: 'weather' });
    const entries = remoteWorkerDescriptors(
      [config, { id: 'booking', name: 'Booking' }, { id: 'offline' }, { id: 'echo' }],
      [loaded],
      ['echo', 'router'],
    );
    expect(entries.map((d) => [d.id, d.name])).toEqual([
      ['weather', 'Weather'],
      ['booking', 'Booking'],
      ['offline', 'offline'],
    ]);
    expect(entries[0]).toBe(loaded.descriptor);
  });
});
