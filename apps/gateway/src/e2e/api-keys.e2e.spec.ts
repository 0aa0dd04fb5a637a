import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { EngineHarness, WORKSPACE_ROOT } from '@spark/testing';

// API keys cannot lock an installation out: the last live admin key cannot be revoked, revoking the key
// a request is made with must be confirmed, a revoked bootstrap key stays revoked across restarts, and
// `tools/admin-key` issues a new admin key to whoever can reach the database.

const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;

interface Problem {
  status: number;
  detail: string;
  reason?: string;
}

describe('API key revocation and recovery', () => {
  let engine: EngineHarness;
  let base = '';
  /** A live admin key, once the bootstrap key is gone. */
  let liveAdmin = '';

  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const create = async (key: string, name: string, scopes: string[]) => {
    const created = await call(key, 'POST', '/api/v1/api-keys', { name, scopes });
    expect(created.status).toBe(201);
    return created.body as { id: string; key: string };
  };
  const idOf = async (key: string, name: string) => {
    const listed = await fetch(`${base}/api/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } });
    const keys = (await listed.json()) as { id: string; name: string }[];
    return keys.find((entry) => entry.name === name)!.id;
  };

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['gateway'],
      env: { SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY },
    });
    base = `http://127.0.0.1:${engine.ports.gateway}`;
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('refuses to revoke the last admin key and an unconfirmed own key; revokes others', async () => {
    const bootstrapId = await idOf(BOOTSTRAP_KEY, 'bootstrap');
    const own = await call(BOOTSTRAP_KEY, 'DELETE', `/api/v1/api-keys/${bootstrapId}`);
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({
      reason: 'SELF_REVOCATION',
      detail: expect.stringContaining('?self=true'),
    });
    const last = await call(BOOTSTRAP_KEY, 'DELETE', `/api/v1/api-keys/${bootstrapId}?self=true`);
    expect(last.status).toBe(409);
    expect((last.body as unknown as Problem).reason).toBe('LAST_ADMIN_KEY');
    expect((last.body as unknown as Problem).detail).toMatch(/last live admin key/);

    const second = await create(BOOTSTRAP_KEY, 'second-admin', ['admin']);
    const reader = await create(BOOTSTRAP_KEY, 'reader', ['read']);
    // Two admins: the bootstrap key may go, once confirmed; then the second is the last one.
    expect((await call(BOOTSTRAP_KEY, 'DELETE', `/api/v1/api-keys/${bootstrapId}?self=true`)).status).toBe(
      204,
    );
    expect((await call(BOOTSTRAP_KEY, 'GET', '/api/v1/api-keys')).status).toBe(401);
    const alone = await call(second.key, 'DELETE', `/api/v1/api-keys/${second.id}?self=true`);
    expect(alone.status).toBe(409);
    expect((alone.body as unknown as Problem).reason).toBe('LAST_ADMIN_KEY');
    expect((await call(second.key, 'DELETE', `/api/v1/api-keys/${reader.id}`)).status).toBe(204);
    expect((await call(second.key, 'DELETE', `/api/v1/api-keys/${reader.id}`)).status).toBe(404);
    expect((await call(second.key, 'DELETE', `/api/v1/api-keys/not-a-uuid`)).status).toBe(400);
    expect((await call(second.key, 'DELETE', `/api/v1/api-keys/${second.id}?self=maybe`)).status).toBe(400);
    liveAdmin = second.key;
  });

  it('two admins revoking each other at once: one of them stays', async () => {
    const a = await create(liveAdmin, 'race-a', ['admin']);
    const b = await create(a.key, 'race-b', ['admin']);
    // Leave exactly these two admin keys live.
    const listed = (await call(a.key, 'GET', '/api/v1/api-keys')).body as unknown as {
      id: string;
      scopes: string[];
    }[];
    for (const key of listed)
      if (key.scopes.includes('admin') && key.id !== a.id && key.id !== b.id)
        expect((await call(a.key, 'DELETE', `/api/v1/api-keys/${key.id}`)).status).toBe(204);
    const [byA, byB] = await Promise.all([
      call(a.key, 'DELETE', `/api/v1/api-keys/${b.id}`),
      call(b.key, 'DELETE', `/api/v1/api-keys/${a.id}`),
    ]);
    // One wins; the other is refused as the last admin key (409), or finds its own key already revoked (401).
    const statuses = [byA.status, byB.status];
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.every((status) => [204, 401, 409].includes(status))).toBe(true);
    liveAdmin = byA.status === 204 ? a.key : b.key;
    const revoked = byA.status === 204 ? b.key : a.key;
    expect((await call(liveAdmin, 'GET', '/api/v1/api-keys')).status).toBe(200);
    expect((await call(revoked, 'GET', '/api/v1/api-keys')).status).toBe(401);
  });

  it('a revoked bootstrap key stays revoked after a restart; tools/admin-key issues a working admin key', async () => {
    await engine.kill('gateway');
    await engine.startService('gateway');
    expect((await call(BOOTSTRAP_KEY, 'GET', '/api/v1/api-keys')).status).toBe(401);

    const { stdout, stderr } = await promisify(execFile)(
      `${WORKSPACE_ROOT}/tools/admin-key`,
      ['--name', 'recovered'],
      { env: { ...process.env, ...engine.env }, cwd: WORKSPACE_ROOT },
    );
    expect(stderr).toContain('issued admin API key "recovered"');
    const key = stdout.trim();
    expect(key).toMatch(/^spk_/);
    const listed = await call(key, 'GET', '/api/v1/api-keys');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'recovered', scopes: ['admin'] })]),
    );
  });
});
