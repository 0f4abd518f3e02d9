/**
 * Which A2A version a request speaks: the `A2A-Version` header (or `?A2A-Version=`), where an
 * absent or empty value means 0.3 (spec rule; HTTP+JSON's paths are 1.0's, so there it means
 * 1.0). Each version has its own method table: slash names (`message/send`) exist only in 0.3,
 * PascalCase names only in 1.0.
 */
import type { ProtocolVersion } from '../../core/task-record';
import { LEGACY_METHODS } from '../compat/legacy-method-table';
import { METHODS, type MethodDefinition } from '../json-rpc/method-table';

export const SUPPORTED_VERSIONS: readonly ProtocolVersion[] = ['1.0', '0.3'];

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export function requestedVersion(
  headers: Headers,
  query: Readonly<Record<string, unknown>> | undefined,
  absent = '0.3',
): string {
  const header = headers['a2a-version'];
  const fromQuery = query?.['A2A-Version'];
  const raw = (typeof header === 'string' ? header : typeof fromQuery === 'string' ? fromQuery : '').trim();
  if (raw === '') return absent;
  // Major.Minor only; a patch number is tolerated and ignored.
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(raw);
  return m ? `${m[1]}.${m[2]}` : raw.slice(0, 20);
}

export const isSupported = (version: string): version is ProtocolVersion =>
  (SUPPORTED_VERSIONS as readonly string[]).includes(version);

const TABLES: Record<ProtocolVersion, Readonly<Record<string, MethodDefinition>>> = {
  '1.0': METHODS,
  '0.3': LEGACY_METHODS,
};

export function findMethod(version: ProtocolVersion, name: string): MethodDefinition | undefined {
  const table = TABLES[version];
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The -32601 message, with a hint when the name belongs to the other version. */
export function methodNotFoundMessage(version: ProtocolVersion, name: string): string {
  const shown = name.slice(0, 100);
  if (version === '0.3' && Object.hasOwn(METHODS, name)) {
    return `Method not found: ${shown} is an A2A 1.0 method; send the header A2A-Version: 1.0 (a request without it is A2A 0.3)`;
  }
  if (version === '1.0' && Object.hasOwn(LEGACY_METHODS, name)) {
    return `Method not found: ${shown} is an A2A 0.3 method; send it with A2A-Version: 0.3 or without the header`;
  }
  return `Method not found: ${shown}`;
}
