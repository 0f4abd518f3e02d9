import { describe, expect, it } from 'vitest';
import {
  credentialOrigins,
  parseRemoteAgentsConfig,
  REMOTE_TASK_METADATA_KEY,
  type RemoteAgentConfig,
  RemoteAgentsConfigError,
  readRemoteBinding,
} from '../../../core/remote-agents';
import { taskRecord } from '../../support/factories';

const problemsOf = (value: unknown): readonly string[] => {
  try {
    parseRemoteAgentsConfig(value);
  } catch (err) {
    if (err instanceof RemoteAgentsConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('the remote agents config', () => {
  it('accepts an agent with no auth, a bearer secret, and OAuth client credentials', () => {
    const config = [
      { id: 'weather', cardUrl: 'https://weather.example.com/.well-known/agent-card.json' },
      {
        id: 'billing',
        cardUrl: 'https://b.example.com/card.json',
        auth: { type: 'bearer', secretId: 'prod/billing' },
      },
      {
        id: 'crm',
        cardUrl: 'https://crm.example.com/card.json',
        name: 'CRM',
        streaming: false,
        auth: {
          type: 'oauth2',
          tokenUrl: 'https://idp.example.com/oauth2/token',
          clientId: 'gateway',
          secretId: 'crm-client-secret',
          scopes: ['a2a:invoke'],
        },
      },
    ];
    expect(parseRemoteAgentsConfig(config)).toEqual(config);
  });

  it('refuses a secret written inline, and says where it belongs', () => {
    const problems = problemsOf([
      { id: 'weather', cardUrl: 'https://w.example.com/c.json', auth: { type: 'bearer', token: 'abc' } },
    ]);
    expect(problems).toEqual([
      '[0].auth: token must not be inline; put the secret in Secrets Manager (or .local/secrets/) and name it with secretId',
    ]);
  });

  it('reports every problem together: bad id, duplicate id, non-http card URL, unknown key, unknown auth type', () => {
    const problems = problemsOf([
      { id: 'Weather!', cardUrl: 'https://w.example.com/c.json' },
      { id: 'a', cardUrl: 'ftp://files.example.com/card.json' },
      { id: 'a', cardUrl: 'https://x.example.com/c.json', cardURL: 'typo' },
      { id: 'b', cardUrl: 'https://x.example.com/c.json', auth: { type: 'mtls' } },
    ]);
    expect(problems).toEqual([
      "[0].id: Expected string to match '^[a-z][a-z0-9-]{0,62}$'",
      '[1].cardUrl: must be https (or http)',
      '[2].cardURL: Unexpected property',
      '[2].id: a is declared twice',
      '[3].auth.type: must be one of none, bearer, oauth2',
    ]);
  });

  it('refuses a secret id that walks up a directory', () => {
    expect(
      problemsOf([
        {
          id: 'a',
          cardUrl: 'https://a.example.com/c.json',
          auth: { type: 'bearer', secretId: 'x/../../etc' },
        },
      ]),
    ).toEqual(['[0].auth.secretId: must not contain ..']);
  });
});

describe("an agent's credential origins", () => {
  it("are the card URL's origin and the configured allowedOrigins", () => {
    const [config] = parseRemoteAgentsConfig([
      {
        id: 'split',
        cardUrl: 'https://www.example.com/.well-known/agent-card.json',
        auth: { type: 'bearer', secretId: 's' },
        allowedOrigins: ['https://api.example.com', 'https://eu.example.com:8443/'],
      },
    ]);
    expect(credentialOrigins(config as RemoteAgentConfig)).toEqual([
      'https://www.example.com',
      'https://api.example.com',
      'https://eu.example.com:8443',
    ]);
  });

  it('refuses an allowed origin with a path, credentials or another scheme', () => {
    const problems = problemsOf([
      {
        id: 'split',
        cardUrl: 'https://www.example.com/card.json',
        allowedOrigins: ['https://api.example.com/a2a', 'https://u:p@api.example.com', 'ftp://x.example.com'],
      },
    ]);
    expect(problems).toEqual([
      '[0].allowedOrigins[0]: must be an origin (scheme://host[:port]), without a path',
      '[0].allowedOrigins[1]: must not carry credentials',
      '[0].allowedOrigins[2]: must be https (or http)',
    ]);
  });
});

describe('the remote binding on a task', () => {
  it('is read back when the worker wrote it for this very task', () => {
    const task = taskRecord({ agentId: 'weather' });
    task.metadata = {
      [REMOTE_TASK_METADATA_KEY]: { localTaskId: task.id, agentId: 'weather', taskId: 'r-1', turn: 'm-1' },
    };
    expect(readRemoteBinding(task)).toEqual({
      localTaskId: task.id,
      agentId: 'weather',
      taskId: 'r-1',
      turn: 'm-1',
    });
  });

  it('is ignored when a client put one in the metadata of a new task (it cannot know the task id)', () => {
    const task = taskRecord({ agentId: 'weather' });
    task.metadata = {
      [REMOTE_TASK_METADATA_KEY]: {
        localTaskId: 'guessed',
        agentId: 'weather',
        taskId: 'someone-elses',
        turn: 'm-1',
      },
    };
    expect(readRemoteBinding(task)).toBeUndefined();
  });
});
