#!/usr/bin/env node
// Is this Node (or the version given) in the range package.json `engines.node` states? The one
// check of the Node version: scripts/ensure-prereqs.sh runs it before `npm test` and `npm start`.
// Plain JavaScript, so it runs on any Node, even one too old for the project's tooling.
//
//   node scripts/check-node.mjs [version]    exit 0 when supported; else one line and exit 1
//
// Ranges: `||` between comparator sets; comparators ^x.y.z, >=, >, <=, <, = (and a bare version).
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const range = pkg.engines?.node;
const version = (process.argv[2] ?? process.versions.node).replace(/^v/, '');

if (typeof range !== 'string') fail('package.json has no engines.node');
if (!/^\d+\.\d+\.\d+$/.test(version)) fail(`not a version: ${version}`);
if (!satisfies(version, range)) {
  fail(
    `Node.js ${version} is not supported: the project needs ${range} (package.json engines); use Node 22.12 or later (.nvmrc; Lambda runs nodejs22.x)`,
  );
}

function satisfies(v, r) {
  return r.split('||').some((set) =>
    set
      .trim()
      .split(/\s+/)
      .every((c) => comparator(v, c)),
  );
}

function comparator(v, c) {
  const m = /^(\^|>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(c);
  if (!m) fail(`engines.node: cannot read ${JSON.stringify(c)}`);
  const [, op = '=', major, minor = '0', patch = '0'] = m;
  const want = [Number(major), Number(minor), Number(patch)];
  const cmp = compare(parse(v), want);
  switch (op) {
    case '^':
      return cmp >= 0 && parse(v)[0] === want[0];
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '<':
      return cmp < 0;
    default:
      return cmp === 0;
  }
}

function parse(v) {
  return v.split('.').map(Number);
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
