/**
 * `npm run tf:offline-apply`: one command for the offline `terraform apply` (terraform/ against
 * moto, checked through moto's APIs, then destroyed). Its prerequisites come from the same
 * installer as the test suite's, and vitest resolves its filter to exactly the moto apply test.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';

const root = resolve(import.meta.dirname, '../..');
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('npm run tf:offline-apply', () => {
  it('installs the prerequisites first (moto with its API Gateway backends, terraform and its provider mirror)', () => {
    expect(scripts['pretf:offline-apply']).toBe('bash scripts/ensure-prereqs.sh test');
  });

  it('runs exactly test/terraform/moto-apply.test.ts, in the project whose global setup starts moto', async () => {
    const args = (scripts['tf:offline-apply'] ?? '').split(' ');
    expect(args.slice(0, 2)).toEqual(['vitest', 'run']);
    const project = args[args.indexOf('--project') + 1] ?? '';
    const filters = args.slice(2).filter((a, i, all) => a !== '--project' && all[i - 1] !== '--project');
    const vitest = await createVitest('test', {
      config: join(root, 'vitest.config.ts'),
      watch: false,
      project: [project],
    });
    try {
      const specs = await vitest.globTestSpecifications(filters);
      expect(specs.map((s) => [s.project.name, relative(root, s.moduleId)])).toEqual([
        ['services', 'test/terraform/moto-apply.test.ts'],
      ]);
    } finally {
      await vitest.close();
    }
  });
});
