import { generateExecutorKeyPair, serviceHelp } from '@spark/service-kit';
import { DIRECTORY_CONFIG_SCHEMA, loadDirectorySettings } from './directory-settings';

describe("the executor's directory settings", () => {
  it('read the private keys, current first, and the event store of the other services', () => {
    const [current, old] = [generateExecutorKeyPair(), generateExecutorKeyPair()];
    const settings = loadDirectorySettings({
      SPARK_EXECUTOR_PRIVATE_KEYS: `${current.privateKey},${old.privateKey}`,
      SPARK_EVENT_STORE_SCHEMA: 'es_x',
    });
    expect(settings.privateKeys).toHaveLength(2);
    expect(settings.eventStore).toMatchObject({ kind: 'postgres', schema: 'es_x' });
    expect(loadDirectorySettings({}).privateKeys).toBeUndefined();
  });

  it('refuse a key that is not an X25519 private key, naming the variable but never the value', () => {
    const publicOnly = generateExecutorKeyPair().publicKey;
    let message = '';
    try {
      loadDirectorySettings({ SPARK_EXECUTOR_PRIVATE_KEYS: publicOnly });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SPARK_EXECUTOR_PRIVATE_KEYS');
    expect(message).toContain('not a private key');
    expect(message).not.toContain(publicOnly);
  });

  it('are in `executor --help`', () => {
    const help = serviceHelp('executor', [DIRECTORY_CONFIG_SCHEMA]);
    for (const name of ['SPARK_EXECUTOR_PRIVATE_KEYS', 'SPARK_EVENT_STORE', 'SPARK_PG_URL'])
      expect(help).toContain(name);
  });
});
