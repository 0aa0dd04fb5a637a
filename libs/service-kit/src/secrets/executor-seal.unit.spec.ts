import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  ExecutorOpener,
  ExecutorSealer,
  generateExecutorKeyPair,
  parseExecutorPrivateKey,
  parseExecutorPrivateKeys,
  parseExecutorPublicKey,
} from './executor-seal';

describe('values sealed to the executors', () => {
  const pair = generateExecutorKeyPair();
  const sealer = new ExecutorSealer(parseExecutorPublicKey(pair.publicKey));
  const opener = new ExecutorOpener([parseExecutorPrivateKey(pair.privateKey)]);

  it('open with the private key and the same additional data only', () => {
    const sealed = sealer.seal('tok-1', 'secret:billing');
    expect(sealed.keyId).toBe(pair.keyId);
    expect(JSON.stringify(sealed)).not.toContain('tok-1');
    expect(opener.open(sealed, 'secret:billing')).toBe('tok-1');
    expect(() => opener.open(sealed, 'secret:other')).toThrow();
    const tampered = { ...sealed, ciphertext: Buffer.from('x').toString('base64') };
    expect(() => opener.open(tampered, 'secret:billing')).toThrow();
    // A fresh ephemeral key each time: two seals of one value differ.
    expect(sealer.seal('tok-1', 'secret:billing').epk).not.toBe(sealed.epk);
  });

  it('refuse a value sealed to a key this executor does not hold, and open it once the key is added', () => {
    const next = generateExecutorKeyPair();
    const sealed = new ExecutorSealer(parseExecutorPublicKey(next.publicKey)).seal('v', 'a');
    expect(opener.canOpen(sealed)).toBe(false);
    expect(() => opener.open(sealed, 'a')).toThrow(`executor key ${next.keyId}`);
    const both = new ExecutorOpener(parseExecutorPrivateKeys(`${next.privateKey}, ${pair.privateKey}`));
    expect(both.keyIds).toEqual([next.keyId, pair.keyId]);
    expect(both.open(sealed, 'a')).toBe('v');
  });

  it('read PEM keys as openssl writes them', () => {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const pub = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const priv = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const sealed = new ExecutorSealer(parseExecutorPublicKey(pub)).seal('pem', 'x');
    expect(new ExecutorOpener([parseExecutorPrivateKey(priv)]).open(sealed, 'x')).toBe('pem');
  });

  it('name what is wrong with a key', () => {
    expect(() => parseExecutorPublicKey('not base64!')).toThrow('PUBLIC KEY PEM or the base64');
    expect(() => parseExecutorPublicKey('aGVsbG8=')).toThrow('is not a public key');
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    expect(() => parseExecutorPublicKey(ed.toString('base64'))).toThrow('ed25519 key, not an X25519 one');
    expect(() => parseExecutorPrivateKeys(`${pair.privateKey},nope`)).toThrow('key 2:');
    expect(() => parseExecutorPrivateKeys(' , ')).toThrow('names no key');
  });

  it('interoperate with keys made by openssl (the rotation steps in docs/sources.md use it)', () => {
    const pem = execFileSync('openssl', ['genpkey', '-algorithm', 'X25519'], { encoding: 'utf8' });
    const pub = execFileSync('openssl', ['pkey', '-pubout'], { input: pem, encoding: 'utf8' });
    const sealed = new ExecutorSealer(parseExecutorPublicKey(pub)).seal('ossl', 'x');
    expect(new ExecutorOpener([parseExecutorPrivateKey(pem)]).open(sealed, 'x')).toBe('ossl');
  });
});
