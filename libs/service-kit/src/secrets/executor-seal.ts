import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/**
 * A value sealed to the executors' X25519 public key (docs/adr/0134): an ephemeral X25519 key agreement,
 * HKDF-SHA256 to an AES-256-GCM key, the owner (e.g. `secret:<name>`) as additional data. Only holders
 * of the private key open it; the gateway, which seals, cannot. All fields base64 except `keyId`.
 */
export interface ExecutorSealed {
  /** Which executor key it was sealed to: the first 8 bytes of SHA-256 of the public key's SPKI DER, hex. */
  keyId: string;
  /** The ephemeral public key, raw 32 bytes. */
  epk: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

const INFO = Buffer.from('spark executor seal v1', 'utf8');

const rawPublic = (key: KeyObject): Buffer =>
  Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');

const spkiDer = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' });

/** The key id of a public key (or of a private key's public half). */
export const executorKeyId = (key: KeyObject): string =>
  createHash('sha256')
    .update(spkiDer(key.type === 'private' ? createPublicKey(key) : key))
    .digest()
    .subarray(0, 8)
    .toString('hex');

const derive = (shared: Buffer, epk: Buffer, recipient: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipient]), INFO, 32));

const keyText = (
  raw: string,
  label: 'PRIVATE KEY' | 'PUBLIC KEY',
): { key: string | Buffer; pem: boolean } => {
  const trimmed = raw.trim();
  if (trimmed.startsWith('-----BEGIN')) return { key: trimmed, pem: true };
  if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed))
    throw new Error(`must be a ${label} PEM or the base64 of its DER`);
  return { key: Buffer.from(trimmed, 'base64'), pem: false };
};

/** An X25519 public key: PEM (`openssl pkey -pubout`) or the base64 of its SPKI DER. */
export function parseExecutorPublicKey(raw: string): KeyObject {
  const { key, pem } = keyText(raw, 'PUBLIC KEY');
  let parsed: KeyObject;
  try {
    parsed = pem ? createPublicKey(key) : createPublicKey({ key, format: 'der', type: 'spki' });
  } catch {
    throw new Error('is not a public key (PEM or base64 of SPKI DER)');
  }
  if (parsed.asymmetricKeyType !== 'x25519')
    throw new Error(`is a ${parsed.asymmetricKeyType} key, not an X25519 one`);
  return parsed;
}

/** An X25519 private key: PEM (`openssl genpkey -algorithm X25519`) or the base64 of its PKCS#8 DER. */
export function parseExecutorPrivateKey(raw: string): KeyObject {
  const { key, pem } = keyText(raw, 'PRIVATE KEY');
  let parsed: KeyObject;
  try {
    parsed = pem ? createPrivateKey(key) : createPrivateKey({ key, format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('is not a private key (PEM or base64 of PKCS#8 DER)');
  }
  if (parsed.asymmetricKeyType !== 'x25519')
    throw new Error(`is a ${parsed.asymmetricKeyType} key, not an X25519 one`);
  return parsed;
}

/** Several private keys, comma-separated (the current one and those still being rotated out). */
export function parseExecutorPrivateKeys(raw: string): KeyObject[] {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('names no key');
  return parts.map((part, index) => {
    try {
      return parseExecutorPrivateKey(part);
    } catch (error) {
      throw new Error(`key ${index + 1}: ${(error as Error).message}`);
    }
  });
}

/** A fresh pair, as the settings take them (base64 DER): for local runs and `tools/executor-keys`. */
export function generateExecutorKeyPair(): { publicKey: string; privateKey: string; keyId: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: spkiDer(publicKey).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    keyId: executorKeyId(publicKey),
  };
}

/** Seals to one executor public key. */
export class ExecutorSealer {
  readonly keyId: string;
  private readonly recipient: Buffer;

  constructor(private readonly publicKey: KeyObject) {
    this.keyId = executorKeyId(publicKey);
    this.recipient = rawPublic(publicKey);
  }

  seal(plaintext: string, associatedData: string): ExecutorSealed {
    const ephemeral = generateKeyPairSync('x25519');
    const epk = rawPublic(ephemeral.publicKey);
    const key = derive(
      diffieHellman({ privateKey: ephemeral.privateKey, publicKey: this.publicKey }),
      epk,
      this.recipient,
    );
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.keyId,
      epk: epk.toString('base64'),
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }
}

/** Opens with whichever of the executor's private keys a value was sealed to. */
export class ExecutorOpener {
  private readonly keys: Map<string, { privateKey: KeyObject; recipient: Buffer }>;

  constructor(privateKeys: readonly KeyObject[]) {
    this.keys = new Map(
      privateKeys.map((privateKey) => [
        executorKeyId(privateKey),
        { privateKey, recipient: rawPublic(createPublicKey(privateKey)) },
      ]),
    );
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  canOpen(sealed: ExecutorSealed): boolean {
    return this.keys.has(sealed.keyId);
  }

  /** Throws when no key of this executor matches, or when the value was tampered with or moved. */
  open(sealed: ExecutorSealed, associatedData: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`sealed to executor key ${sealed.keyId}, which this executor does not hold`);
    const epk = Buffer.from(sealed.epk, 'base64');
    const ephemeral = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: epk.toString('base64url') },
      format: 'jwk',
    });
    const aesKey = derive(
      diffieHellman({ privateKey: key.privateKey, publicKey: ephemeral }),
      epk,
      key.recipient,
    );
    const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }
}
