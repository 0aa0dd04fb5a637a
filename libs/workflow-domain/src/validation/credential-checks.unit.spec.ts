import { isCredentialHeader, isCredentialKey } from './credential-checks';
import { validateWorkflowDefinition } from './validate-definition';

const problemsOf = (definition: unknown) => {
  const result = validateWorkflowDefinition(definition);
  return result.valid ? [] : result.problems;
};
const workflow = (steps: unknown[]) => ({ name: 'billing', version: 1, steps });
const http = (id: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'task',
  handler: 'http',
  config: { url: 'https://billing.internal/charge', ...config },
  ...extra,
});

describe('credentials in a definition are refused at registration, each by its path', () => {
  it('refuses literal credential headers, naming the header', () => {
    const problems = problemsOf(
      workflow([
        http('charge', {
          headers: {
            Authorization: 'Bearer sk-live-123',
            'x-api-key': 'k-1',
            Cookie: 'session=abc',
            'X-Upstream-Token': 'tok',
            accept: 'application/json',
          },
        }),
      ]),
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$.steps[0].config.headers.Authorization',
      '$.steps[0].config.headers["x-api-key"]',
      '$.steps[0].config.headers.Cookie',
      '$.steps[0].config.headers["X-Upstream-Token"]',
    ]);
    expect(problems[0]!.message).toMatch(/"Authorization" carries a credential.*\/api\/v1\/secrets/);
  });

  it('accepts secret references and expressions, and checks the referenced name', () => {
    expect(
      problemsOf(
        workflow([
          http('charge', {
            headers: {
              authorization: { secret: 'billing-token', prefix: 'Bearer ' },
              'x-api-key': '=input.apiKey',
              'x-custom': { secret: 'other' },
            },
          }),
        ]),
      ),
    ).toEqual([]);
    expect(
      problemsOf(workflow([http('charge', { headers: { authorization: { secret: 'Bad Name' } } })])),
    ).toEqual([expect.objectContaining({ path: '$.steps[0].config.headers.authorization.secret' })]);
  });

  it('refuses literal apiKey/token/password config and query fields and URLs with user info', () => {
    const problems = problemsOf(
      workflow([
        {
          id: 'ask',
          type: 'task',
          handler: 'langflow',
          config: { source: 'lf', flowId: 'f', apiKey: 'sk-1' },
        },
        http('q', { query: { api_key: 'k', page: 2 } }),
        http('u', { url: 'https://user:pw@billing.internal/x' }),
        http('ok', { max_tokens: 5, tokenizer: 'x', query: { token: '=input.token' } }),
      ]),
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$.steps[0].config.apiKey',
      '$.steps[1].config.query.api_key',
      '$.steps[2].config.url',
    ]);
  });

  it('checks compensations and the task of a map step too', () => {
    const literal = { url: 'https://x', headers: { authorization: 'Basic eA==' } };
    const problems = problemsOf(
      workflow([
        http('charge', {}, { compensate: { handler: 'http', config: literal } }),
        { id: 'each', type: 'map', items: 'input.xs', task: { handler: 'http', config: literal } },
      ]),
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$.steps[0].compensate.config.headers.authorization',
      '$.steps[1].task.config.headers.authorization',
    ]);
  });

  it('names credential headers and keys', () => {
    for (const name of [
      'Authorization',
      'proxy-authorization',
      'X-API-Key',
      'x-auth-token',
      'my_secret',
      'x-password',
    ])
      expect(isCredentialHeader(name)).toBe(true);
    for (const name of ['accept', 'content-type', 'x-request-id', 'x-tokenizer', 'idempotency-key'])
      expect(isCredentialHeader(name)).toBe(false);
    for (const key of ['apiKey', 'api_key', 'accessToken', 'client-secret', 'password', 'token'])
      expect(isCredentialKey(key)).toBe(true);
    for (const key of ['max_tokens', 'tokenizer', 'source', 'flowId', 'url'])
      expect(isCredentialKey(key)).toBe(false);
  });
});
