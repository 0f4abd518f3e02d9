/** A fresh folder under the OS temp dir for a test's local-stack data (keys, DynamoDB files). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const testDataDir = (name: string): string => mkdtempSync(join(tmpdir(), `a2a-${name}-`));
