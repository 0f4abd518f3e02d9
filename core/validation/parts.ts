/** Semantic checks the schema cannot express well. */
import type { Message, Part } from '../a2a/types';
import { type FieldViolation, InvalidParamsError } from '../errors';

const CONTENT = ['text', 'raw', 'url', 'data'] as const;

export function partViolations(part: Part, field: string): FieldViolation[] {
  const present = CONTENT.filter((k) => part[k] !== undefined);
  if (present.length === 1) return [];
  return [
    {
      field,
      description:
        present.length === 0
          ? 'a part needs exactly one of text, raw, url or data; it has none'
          : `a part needs exactly one of text, raw, url or data; it has ${present.join(' and ')}`,
    },
  ];
}

export function assertValidMessage(message: Message, field = 'message'): void {
  const violations = message.parts.flatMap((p, i) => partViolations(p, `${field}.parts[${i}]`));
  if (message.role !== 'ROLE_USER') {
    violations.push({ field: `${field}.role`, description: 'a client message must have role ROLE_USER' });
  }
  const first = violations[0];
  if (first) throw new InvalidParamsError(`Invalid ${first.field}: ${first.description}`, violations);
}
