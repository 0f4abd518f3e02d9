/**
 * Which strings may travel as an HTTP header value we send (push `Authorization` credentials,
 * `X-A2A-Notification-Token`). RFC 9110 §5.5: a field value is visible characters separated by
 * spaces or tabs, without leading or trailing whitespace. We allow visible ASCII (0x21-0x7E) and
 * inner spaces only: obs-text (0x80-0xFF) is obsolete, anything above 0xFF makes Node throw
 * ERR_INVALID_CHAR, and control characters would split or end the header.
 */

/** Longest accepted value. Receivers limit a header line (nginx 8 KiB, Node 16 KiB for all). */
export const MAX_HEADER_VALUE_LENGTH = 4096;

const VISIBLE_ASCII = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Visible ASCII with inner spaces, or empty: a value every HTTP stack sends and reads unchanged. */
export const isVisibleAsciiFieldValue = (value: string): boolean => value === '' || VISIBLE_ASCII.test(value);

/** Why `value` cannot be sent as a header value, or undefined if it can. Never echoes the value. */
export function headerValueProblem(value: string): string | undefined {
  if (value.length > MAX_HEADER_VALUE_LENGTH) return `longer than ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (!isVisibleAsciiFieldValue(value)) {
    return 'only visible ASCII characters and inner spaces are allowed (RFC 9110 field value)';
  }
  return undefined;
}
