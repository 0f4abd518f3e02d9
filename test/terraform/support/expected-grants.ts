/**
 * What a function's role must allow, from two independent facts: the actions its code calls
 * (sdk-actions.ts) and the resources its env contract names (TABLE_NAME is the table,
 * WORK_QUEUE_URL the work queue, ...). The result is a set of `action target` pairs, compared
 * with the entry's grants and with the policy Terraform deployed.
 */
import type { GrantTarget, LambdaEntry } from '../../../deploy/lambda-entries';
import { type CodeActions, iamActionsOf } from './sdk-actions';

/** The env variable through which a function learns each resource. */
const TARGET_BY_ENV: Record<string, GrantTarget> = {
  TABLE_NAME: 'table',
  WORK_QUEUE_URL: 'work-queue',
  PUSH_QUEUE_URL: 'push-queue',
  PUSH_SIGNING_SECRET_ID: 'signing-key-secret',
  BEDROCK_MODEL_ID: 'bedrock-model',
  REMOTE_AGENTS: 'remote-agent-secrets',
};

/**
 * Targets that only one module reads, though more functions learn of them: the gateway reads
 * REMOTE_AGENTS for the cards, but only the worker bundles the remote agents' secret source.
 */
const TARGET_READ_BY: Partial<Record<GrantTarget, string>> = {
  'remote-agent-secrets': 'adapters/a2a-remote/secrets-manager-source.ts',
};

const SERVICE_TARGETS: Record<string, readonly GrantTarget[]> = {
  dynamodb: ['table'],
  sqs: ['work-queue', 'push-queue'],
  secretsmanager: ['signing-key-secret', 'remote-agent-secrets'],
  bedrock: ['bedrock-model'],
};

/**
 * SDK packages that third-party libraries import (so they sit in the bundle) but that our code
 * never reaches, each with the reason. Anything else a library imports fails the policy test.
 */
export const THIRD_PARTY_NOT_CALLED: Record<string, string> = {};

/** Third-party packages whose Commands our code does call through the library. */
export const THIRD_PARTY_CALLED: Record<string, string> = {
  '@aws-sdk/client-bedrock-runtime': 'ChatBedrockConverse (@langchain/aws) calls Converse/ConverseStream',
};

const pair = (action: string, target: string): string => `${action} ${target}`;

/** The `action target` pairs the code needs; throws when a call has no resource in the env contract. */
export function expectedPairs(entry: LambdaEntry, code: CodeActions): Set<string> {
  const actions = new Set(code.actions);
  for (const { pkg, commands, importers } of code.thirdParty) {
    if (pkg in THIRD_PARTY_NOT_CALLED) continue;
    if (!(pkg in THIRD_PARTY_CALLED)) {
      throw new Error(
        `${entry.name}: ${importers.join(', ')} import ${pkg} (${commands.join(', ')}); ` +
          'list it in THIRD_PARTY_CALLED or THIRD_PARTY_NOT_CALLED (test/terraform/support/expected-grants.ts)',
      );
    }
    for (const command of commands) for (const action of iamActionsOf(pkg, command)) actions.add(action);
  }
  const envTargets = new Set(
    entry.env
      .map((name) => TARGET_BY_ENV[name])
      .filter((t) => t !== undefined)
      .filter((t) => {
        const reader = TARGET_READ_BY[t];
        return reader === undefined || code.modules.includes(reader);
      }),
  );
  const pairs = new Set<string>();
  for (const action of actions) {
    const service = action.split(':')[0] ?? '';
    const targets = (SERVICE_TARGETS[service] ?? []).filter((t) => envTargets.has(t));
    if (targets.length === 0) {
      throw new Error(`${entry.name} calls ${action} but its env names no ${service} resource`);
    }
    for (const target of targets) pairs.add(pair(action, target));
    if (action === 'dynamodb:Query' && code.queriesIndexes) pairs.add(pair(action, 'table-indexes'));
  }
  return pairs;
}

/** The `action target` pairs an entry grants. */
export function grantedPairs(entry: LambdaEntry): Set<string> {
  const pairs = new Set<string>();
  for (const grant of entry.grants)
    for (const a of grant.actions) for (const t of grant.on) pairs.add(pair(a, t));
  return pairs;
}

export interface PairDiff {
  /** needed by the code, not granted */
  missing: string[];
  /** granted, never needed */
  extra: string[];
}

export function diffPairs(expected: ReadonlySet<string>, actual: ReadonlySet<string>): PairDiff {
  return {
    missing: [...expected].filter((p) => !actual.has(p)).sort(),
    extra: [...actual].filter((p) => !expected.has(p)).sort(),
  };
}
