/**
 * The dependency rules of README Decision 11 are lint errors, not conventions: fixture files that
 * break them are linted with the repository's biome.json and must be rejected (at any depth, in
 * every import form), while the composition roots and core's own imports stay accepted.
 */
import { dirname, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../deploy/lambda-entries';
import { hits, lintFixtures } from './support/biome-lint';

/** `import` of `target` (a repository path or a package) from `file`, as a relative specifier. */
const specifier = (file: string, target: string): string => {
  if (!target.includes('/') || target.startsWith('@') || target.startsWith('node:')) return target;
  const rel = relative(dirname(file), target);
  return rel.startsWith('.') ? rel : `./${rel}`;
};
const importing = (file: string, target: string): string =>
  `import { x } from '${specifier(file, target)}';\nexport const y = x;\n`;

describe('core depends on nothing outside core (noRestrictedImports)', () => {
  it('rejects an adapter import from core at any depth and in every import form', () => {
    const files = {
      'core/c.ts': importing('core/c.ts', 'adapters/memory/memory-task-store'),
      'core/__lint_fixture__/a.ts': importing(
        'core/__lint_fixture__/a.ts',
        'adapters/dynamo/dynamo-task-store',
      ),
      'core/__lint_fixture__/deep/nested/b.ts': importing(
        'core/__lint_fixture__/deep/nested/b.ts',
        'adapters/sqs/sqs-work-queue',
      ),
      'core/__lint_fixture__/d.ts': "export { x } from '../../adapters/push/push-signer';\n",
      'core/__lint_fixture__/e.ts': "export const m = await import('../../adapters/aws/aws-clients');\n",
      'core/__lint_fixture__/f.ts':
        "import type { X } from '../../adapters/dynamo/keys';\nexport type Y = X;\n",
      'core/__lint_fixture__/g.ts': "export * from '../../adapters';\n",
    };
    expect(hits(lintFixtures(files), 'noRestrictedImports')).toEqual(
      Object.keys(files)
        .map((f) => `${f}:1`)
        .sort(),
    );
  });

  it('rejects the AWS SDK, fastify and LangChain at any subpath, and every folder beside core', () => {
    const targets = [
      '@aws-sdk/client-sqs',
      '@aws-sdk/lib-dynamodb/dist-cjs/index',
      '@langchain/core/messages',
      '@fastify/cors',
      'fastify',
      'gateway/routes/a2a-endpoint',
      'workers/agents/registry',
      'authorizer/token-verifier',
      'local/local-stack',
      'test/support/factories',
    ];
    const files = Object.fromEntries(
      targets.map((t, i) => {
        const file = `core/use-cases/__lint_fixture__/f${i}.ts`;
        return [file, importing(file, t)];
      }),
    );
    expect(hits(lintFixtures(files), 'noRestrictedImports')).toEqual(
      Object.keys(files)
        .map((f) => `${f}:1`)
        .sort(),
    );
  });

  it("accepts core's imports of core and of node built-ins", () => {
    const file = 'core/use-cases/__lint_fixture__/ok.ts';
    const source = [
      "import { randomUUID } from 'node:crypto';",
      `import type { Clock } from '${specifier(file, 'core/ports/clock')}';`,
      `import type { Message } from '${specifier(file, 'core/a2a/types')}';`,
      'export const make = (c: Clock, m: Message): string => String(c.now()) + m.messageId + randomUUID();',
      '',
    ].join('\n');
    expect(hits(lintFixtures({ [file]: source }), 'noRestrictedImports')).toEqual([]);
  });
});

describe('adapters are imported only by composition roots (noRestrictedImports)', () => {
  it('rejects an adapter import from gateway routes, rpc and cards, worker agent code and the authorizer', () => {
    const files = Object.fromEntries(
      [
        'gateway/app.ts',
        'gateway/routes/__lint_fixture__.ts',
        'gateway/rpc/__lint_fixture__.ts',
        'gateway/cards/__lint_fixture__.ts',
        'gateway/streaming/deep/__lint_fixture__.ts',
        'workers/agents/remote/__lint_fixture__.ts',
        'workers/agent-worker/run-task.ts',
        'workers/push-dispatcher/handler.ts',
        'workers/graph-runtime/__lint_fixture__.ts',
        'authorizer/token-verifier.ts',
      ].map((f) => [f, importing(f, 'adapters/dynamo/dynamo-task-store')]),
    );
    expect(hits(lintFixtures(files), 'noRestrictedImports')).toEqual(
      Object.keys(files)
        .map((f) => `${f}:1`)
        .sort(),
    );
  });

  it('accepts it in every Lambda entry, wiring and config module', () => {
    const roots = [
      ...LAMBDA_ENTRIES.map((e) => e.entry),
      'gateway/lambda/stream-lambda.ts',
      'gateway/lambda/wiring.ts',
      'workers/agent-worker/aws-wiring.ts',
      'gateway/config.ts',
      'workers/config.ts',
      'workers/push-dispatcher/config.ts',
    ];
    const files = Object.fromEntries(roots.map((f) => [f, importing(f, 'adapters/aws/aws-clients')]));
    expect(hits(lintFixtures(files), 'noRestrictedImports')).toEqual([]);
  });
});

describe('no import cycles (noImportCycles)', () => {
  it('rejects two modules that import each other, type-only imports included', () => {
    const files = {
      'gateway/__lint_fixture__/a.ts': "import type { B } from './b';\nexport interface A {\n  b?: B;\n}\n",
      'gateway/__lint_fixture__/b.ts': "import type { A } from './a';\nexport interface B {\n  a?: A;\n}\n",
    };
    expect(hits(lintFixtures(files), 'noImportCycles')).toEqual([
      'gateway/__lint_fixture__/a.ts:1',
      'gateway/__lint_fixture__/b.ts:1',
    ]);
  });

  it('rejects a longer cycle across folders and accepts a chain', () => {
    const cycle = {
      'workers/__lint_fixture__/x.ts':
        "import { z } from '../../core/__lint_fixture__/z';\nexport const x = () => z;\n",
      'core/__lint_fixture__/z.ts': "import { y } from '../y';\nexport const z = () => y;\n",
      'core/y.ts': "import { x } from '../workers/__lint_fixture__/x';\nexport const y = () => x;\n",
    };
    expect(hits(lintFixtures(cycle), 'noImportCycles')).toEqual([
      'core/__lint_fixture__/z.ts:1',
      'core/y.ts:1',
      'workers/__lint_fixture__/x.ts:1',
    ]);
    const chain = {
      'gateway/__lint_fixture__/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'gateway/__lint_fixture__/b.ts': 'export const b = 1;\n',
    };
    expect(hits(lintFixtures(chain), 'noImportCycles')).toEqual([]);
  });
});
