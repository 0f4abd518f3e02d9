/**
 * Derives the AWS API actions a Lambda's code can call: esbuild bundles its entry exactly as
 * tree-shaken for deployment, but with `@aws-sdk/*` left external, so the bundle's import
 * statements name every SDK Command class that survived. Each Command maps to the IAM action(s)
 * AWS authorizes it with (TransactWriteItems: the Put/Update/Delete/ConditionCheck item kinds
 * the project code writes). The metafile tells which file imported each SDK package, so imports
 * made by third-party libraries are kept apart from our own.
 */
import { build, type Metafile } from 'esbuild';
import type { LambdaEntry } from '../../../deploy/lambda-entries';

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;

export interface CodeActions {
  /** IAM actions, e.g. dynamodb:GetItem, sorted */
  actions: string[];
  /** the project code queries a secondary index (dynamodb:Query then needs the index ARNs) */
  queriesIndexes: boolean;
  /** SDK packages imported only by third-party code, with the Command names that came along */
  thirdParty: { pkg: string; importers: string[]; commands: string[] }[];
  /** the project's own modules in the bundle, relative to the repository root */
  modules: string[];
}

const TRANSACT_WRITE = Symbol('transact-write');
type Mapping = readonly string[] | typeof TRANSACT_WRITE;

/** Commands whose IAM action is not `<service>:<CommandName without "Command">`. */
const SPECIAL: Record<string, Record<string, Mapping>> = {
  '@aws-sdk/lib-dynamodb': {
    GetCommand: ['dynamodb:GetItem'],
    PutCommand: ['dynamodb:PutItem'],
    UpdateCommand: ['dynamodb:UpdateItem'],
    DeleteCommand: ['dynamodb:DeleteItem'],
    QueryCommand: ['dynamodb:Query'],
    ScanCommand: ['dynamodb:Scan'],
    BatchGetCommand: ['dynamodb:BatchGetItem'],
    BatchWriteCommand: ['dynamodb:BatchWriteItem'],
    TransactGetCommand: ['dynamodb:GetItem'],
    TransactWriteCommand: TRANSACT_WRITE,
  },
  '@aws-sdk/client-dynamodb': {
    TransactGetItemsCommand: ['dynamodb:GetItem'],
    TransactWriteItemsCommand: TRANSACT_WRITE,
  },
  '@aws-sdk/client-sqs': {
    SendMessageBatchCommand: ['sqs:SendMessage'],
    DeleteMessageBatchCommand: ['sqs:DeleteMessage'],
    ChangeMessageVisibilityBatchCommand: ['sqs:ChangeMessageVisibility'],
  },
  '@aws-sdk/client-bedrock-runtime': {
    ConverseCommand: ['bedrock:InvokeModel'],
    ConverseStreamCommand: ['bedrock:InvokeModelWithResponseStream'],
  },
};

/** Packages whose Commands map one to one onto `<service>:<Action>`. */
const SERVICE_OF: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-bedrock-runtime': 'bedrock',
};

/** Transaction item kinds and the IAM action that authorizes each (no TransactWriteItems action exists). */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** Aggregated clients (`new DynamoDB().getItem()`) hide their calls from this analysis. */
const AGGREGATED_CLIENTS = new Set(['DynamoDB', 'SQS', 'SecretsManager', 'KMS', 'BedrockRuntime']);

export interface Bundle {
  text: string;
  metafile: Metafile;
}

/** The entry bundled as for deployment, but readable and with the AWS SDK left external. */
export async function bundleForAnalysis(entry: LambdaEntry): Promise<Bundle> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry.entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'], // as scripts/build.ts
    external: ['@aws-sdk/*'],
    write: false,
    metafile: true,
    outfile: `analysis/${entry.name}.mjs`,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text;
  if (text === undefined) throw new Error(`esbuild wrote nothing for ${entry.entry}`);
  return { text, metafile: result.metafile };
}

const SDK_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/[^"]+)";?$/gm;

/**
 * `import { A, B as C } from "@aws-sdk/x"` -> x: [A, B], keeping only the names the code uses:
 * esbuild keeps unused bindings of external imports, so a name must appear outside the imports.
 */
function sdkImports(text: string): Map<string, Set<string>> {
  const code = text.replace(SDK_IMPORT, '');
  const byPackage = new Map<string, Set<string>>();
  for (const match of text.matchAll(SDK_IMPORT)) {
    const [, names = '', pkg = ''] = match;
    const set = byPackage.get(pkg) ?? new Set<string>();
    for (const part of names.split(',')) {
      const [imported, local = imported] = part.trim().split(/\s+as\s+/);
      if (imported && local && new RegExp(`\\b${local.replace(/\$/g, '\\$')}\\b`).test(code))
        set.add(imported);
    }
    byPackage.set(pkg, set);
  }
  return byPackage;
}

/** The bundle's code that came from our own files (esbuild marks each module with `// <path>`). */
export function projectCode(text: string): string {
  const sections = text.split(/^\/\/ (\S+)$/m);
  const kept: string[] = [];
  for (let i = 1; i < sections.length; i += 2) {
    const path = sections[i] ?? '';
    if (!path.startsWith('node_modules/') && !path.includes('/node_modules/'))
      kept.push(sections[i + 1] ?? '');
  }
  return kept.join('\n');
}

/** Which input files import each SDK package. */
function importersOf(metafile: Metafile): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || !imported.path.startsWith('@aws-sdk/')) continue;
      importers.set(imported.path, [...(importers.get(imported.path) ?? []), file]);
    }
  }
  return importers;
}

/** The IAM actions that authorize one SDK Command (ownCode: for the item kinds of a transaction). */
export function iamActionsOf(pkg: string, command: string, ownCode = ''): string[] {
  const special = SPECIAL[pkg]?.[command];
  if (special === TRANSACT_WRITE) {
    const kinds = Object.keys(TRANSACT_ITEM_ACTIONS).filter((kind) =>
      new RegExp(`\\b${kind}\\s*:\\s*\\{`).test(ownCode),
    );
    if (kinds.length === 0) throw new Error(`${command} imported but no transaction items found`);
    return kinds.map((kind) => TRANSACT_ITEM_ACTIONS[kind] ?? '');
  }
  if (special) return [...special];
  const service = SERVICE_OF[pkg];
  if (!service)
    throw new Error(
      `no IAM mapping for ${pkg} (${command}): add it to test/terraform/support/sdk-actions.ts`,
    );
  return [`${service}:${command.replace(/Command$/, '')}`];
}

export async function codeActions(entry: LambdaEntry): Promise<CodeActions> {
  const { text, metafile } = await bundleForAnalysis(entry);
  const ownCode = projectCode(text);
  const importers = importersOf(metafile);
  const actions = new Set<string>();
  const thirdParty: CodeActions['thirdParty'] = [];
  for (const [pkg, names] of sdkImports(text)) {
    const aggregated = [...names].filter((n) => AGGREGATED_CLIENTS.has(n));
    if (aggregated.length > 0) {
      throw new Error(
        `${entry.name}: aggregated client ${aggregated.join(', ')} from ${pkg}; use Command classes`,
      );
    }
    const commands = [...names].filter((n) => n.endsWith('Command')).sort();
    const files = importers.get(pkg) ?? [];
    if (files.length > 0 && files.every((f) => f.includes('node_modules/'))) {
      if (commands.length > 0) thirdParty.push({ pkg, importers: files, commands });
      continue;
    }
    for (const command of commands)
      for (const action of iamActionsOf(pkg, command, ownCode)) actions.add(action);
  }
  return {
    actions: [...actions].sort(),
    queriesIndexes: /\bIndexName\s*:/.test(ownCode),
    thirdParty,
    modules: Object.keys(metafile.inputs)
      .filter((f) => !f.includes('node_modules/'))
      .sort(),
  };
}
