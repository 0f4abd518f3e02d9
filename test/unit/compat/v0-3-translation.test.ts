/** 0.3 <-> v1.0 translation of parts, messages, configuration, push configs and stream events. */
import { describe, expect, it } from 'vitest';
import type { Part } from '../../../core/a2a/types';
import type { LegacyPartInput } from '../../../core/compat/v0_3/legacy-schemas';
import { legacyPartToV1, legacyPushConfigToV1, legacySendToV1 } from '../../../core/compat/v0_3/legacy-to-v1';
import {
  toLegacyPart,
  toLegacyPushConfig,
  toLegacyStreamResult,
} from '../../../core/compat/v0_3/v1-to-legacy';
import type { FieldViolation } from '../../../core/errors';

const roundTrip = (part: Part): Part => {
  const violations: FieldViolation[] = [];
  const back = legacyPartToV1(toLegacyPart(part) as LegacyPartInput, 'p', violations);
  expect(violations).toEqual([]);
  return back;
};

describe('parts', () => {
  it.each<[string, Part]>([
    ['text', { text: 'hi', metadata: { k: 1 } }],
    ['raw bytes', { raw: 'aGk=', mediaType: 'text/plain', filename: 'a.txt' }],
    ['a url', { url: 'https://example.com/x.png', mediaType: 'image/png' }],
    ['object data', { data: { key: 'value', count: 42 } }],
    ['array data', { data: [1, 2, 3] }],
    ['string data', { data: 'plain' }],
    ['null data', { data: null }],
  ])('survive a round trip through 0.3: %s', (_n, part) => {
    expect(roundTrip(part)).toEqual(part);
  });

  it('map to the 0.3 part kinds', () => {
    expect(toLegacyPart({ raw: 'AA==', mediaType: 'image/png', filename: 'x.png' })).toEqual({
      kind: 'file',
      file: { bytes: 'AA==', mimeType: 'image/png', name: 'x.png' },
    });
    expect(toLegacyPart({ url: 'https://e.x/f' })).toEqual({ kind: 'file', file: { uri: 'https://e.x/f' } });
    expect(toLegacyPart({ data: [1] })).toEqual({
      kind: 'data',
      data: { value: [1] },
      metadata: { data_part_compat: true },
    });
  });

  it('report a file part with both bytes and uri', () => {
    const violations: FieldViolation[] = [];
    legacyPartToV1(
      { kind: 'file', file: { bytes: 'AA==', uri: 'https://e.x' } },
      'message.parts[0]',
      violations,
    );
    expect(violations[0]?.field).toBe('message.parts[0].file');
  });
});

describe('requests', () => {
  it.each([
    [undefined, false],
    [true, false],
    [false, true],
  ])('maps blocking %s to returnImmediately %s', (blocking, returnImmediately) => {
    const req = legacySendToV1({
      message: { messageId: 'm', role: 'user', parts: [{ kind: 'text', text: 'x' }] },
      configuration: blocking === undefined ? {} : { blocking },
    });
    expect(req.configuration?.returnImmediately).toBe(returnImmediately);
    expect(req.message.role).toBe('ROLE_USER');
  });

  it('keeps the first authentication scheme of a 0.3 push config', () => {
    expect(
      legacyPushConfigToV1(
        { url: 'https://h.x', authentication: { schemes: ['Bearer', 'Basic'], credentials: 'c' } },
        'p',
      ),
    ).toEqual({ url: 'https://h.x', authentication: { scheme: 'Bearer', credentials: 'c' } });
    expect(legacyPushConfigToV1({ url: 'https://h.x', authentication: { schemes: [] } }, 'p')).toEqual({
      url: 'https://h.x',
    });
  });
});

describe('results', () => {
  it('nests a push config and lists its scheme', () => {
    expect(
      toLegacyPushConfig({ id: 'c1', taskId: 't', url: 'https://h.x', authentication: { scheme: 'Bearer' } }),
    ).toEqual({
      taskId: 't',
      pushNotificationConfig: { id: 'c1', url: 'https://h.x', authentication: { schemes: ['Bearer'] } },
    });
  });

  it('marks only the closing status event final', () => {
    const statusUpdate = { taskId: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' as const } };
    expect(toLegacyStreamResult({ seq: 2, final: false, response: { statusUpdate } })).toEqual({
      kind: 'status-update',
      taskId: 't',
      contextId: 'c',
      status: { state: 'working' },
      final: false,
    });
    const done = { ...statusUpdate, status: { state: 'TASK_STATE_INPUT_REQUIRED' as const } };
    expect(toLegacyStreamResult({ seq: 3, final: true, response: { statusUpdate: done } })).toMatchObject({
      status: { state: 'input-required' },
      final: true,
    });
  });
});
