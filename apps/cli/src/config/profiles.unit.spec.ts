import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConnection, writeConfig } from './profiles';

describe('where the CLI connects', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'spark-config-'));
  const file = path.join(dir, 'config.yaml');
  writeConfig(file, {
    current: 'prod',
    profiles: {
      prod: { url: 'https://spark.example/api/v1/', apiKey: 'prod-key' },
      dev: { url: 'http://127.0.0.1:18080' },
    },
  });
  const env = { SPARK_CONFIG: file };

  it('uses the current profile, trimming a trailing /api/v1', () => {
    expect(resolveConnection({}, env)).toMatchObject({
      baseUrl: 'https://spark.example',
      apiKey: 'prod-key',
      profile: 'prod',
      origin: { url: 'profile', apiKey: 'profile' },
    });
  });

  it('lets flags win over the environment, and the environment over the profile', () => {
    const both = { ...env, SPARK_API_URL: 'http://env:1', SPARK_API_KEY: 'env-key' };
    expect(resolveConnection({}, both)).toMatchObject({
      baseUrl: 'http://env:1',
      apiKey: 'env-key',
      origin: { url: 'env' },
    });
    expect(resolveConnection({ apiUrl: 'http://flag:2', apiKey: 'k' }, both)).toMatchObject({
      baseUrl: 'http://flag:2',
      apiKey: 'k',
      origin: { url: 'flag', apiKey: 'flag' },
    });
  });

  it('picks a named profile, and refuses an unknown one', () => {
    expect(resolveConnection({}, { ...env, SPARK_PROFILE: 'dev' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:18080',
      profile: 'dev',
    });
    expect(() => resolveConnection({ profile: 'staging' }, env)).toThrow('no profile "staging"');
  });

  it('defaults to the local gateway without a config file', () => {
    expect(resolveConnection({}, { SPARK_CONFIG: path.join(dir, 'none.yaml') })).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080',
      origin: { url: 'default', apiKey: 'none' },
    });
  });
});
