import { EnvironmentSourceResolver, sourceEnvironmentName } from './environment-source-resolver';
import { FirstMatchSourceResolver } from './source-resolver';

describe('sources from the environment', () => {
  it('name variables by the upper-cased source name with non-alphanumerics as _', () => {
    expect(sourceEnvironmentName('langflow-prod.eu')).toBe('LANGFLOW_PROD_EU');
  });

  it('resolve the URL and the key, and nothing for an unknown source', async () => {
    const resolver = new EnvironmentSourceResolver({
      SPARK_SOURCE_LANGFLOW_PROD_URL: 'http://langflow:7860',
      SPARK_SOURCE_LANGFLOW_PROD_API_KEY: 'sk-1',
      SPARK_SOURCE_AGENTS_URL: 'http://agents:8881',
    });
    await expect(resolver.resolve('langflow-prod')).resolves.toEqual({
      baseUrl: 'http://langflow:7860',
      apiKey: 'sk-1',
    });
    await expect(resolver.resolve('agents')).resolves.toEqual({ baseUrl: 'http://agents:8881' });
    await expect(resolver.resolve('nope')).resolves.toBeUndefined();
  });

  it('let registered sources come first', async () => {
    const registered = {
      resolve: async (name: string) => (name === 'a' ? { baseUrl: 'http://registered' } : undefined),
    };
    const resolver = new FirstMatchSourceResolver([
      registered,
      new EnvironmentSourceResolver({ SPARK_SOURCE_A_URL: 'http://env', SPARK_SOURCE_B_URL: 'http://env-b' }),
    ]);
    await expect(resolver.resolve('a')).resolves.toEqual({ baseUrl: 'http://registered' });
    await expect(resolver.resolve('b')).resolves.toEqual({ baseUrl: 'http://env-b' });
  });
});
