import { generateExecutorKeyPair, serviceHelp } from '@spark/service-kit';
import { GATEWAY_CONFIG_SCHEMA, loadGatewaySettings } from './gateway-settings';

describe("the gateway's settings for sealing to the executors", () => {
  it('read the public key and the reconcile interval', () => {
    const pair = generateExecutorKeyPair();
    const settings = loadGatewaySettings({ SPARK_EXECUTOR_PUBLIC_KEY: pair.publicKey });
    expect(settings.executorPublicKey?.asymmetricKeyType).toBe('x25519');
    expect(settings.directoryReconcileMs).toBe(30_000);
    expect(loadGatewaySettings({}).executorPublicKey).toBeUndefined();
  });

  it('refuse a private key given as the public one, naming the variable', () => {
    expect(() =>
      loadGatewaySettings({ SPARK_EXECUTOR_PUBLIC_KEY: generateExecutorKeyPair().privateKey }),
    ).toThrow(/SPARK_EXECUTOR_PUBLIC_KEY.*not a public key/s);
    expect(() => loadGatewaySettings({ SPARK_GATEWAY_DIRECTORY_RECONCILE_MS: '0' })).toThrow(
      /SPARK_GATEWAY_DIRECTORY_RECONCILE_MS/,
    );
  });

  it('are in `gateway --help`', () => {
    const help = serviceHelp('gateway', [GATEWAY_CONFIG_SCHEMA]);
    expect(help).toContain('SPARK_EXECUTOR_PUBLIC_KEY');
    expect(help).toContain('SPARK_GATEWAY_DIRECTORY_RECONCILE_MS');
  });
});
