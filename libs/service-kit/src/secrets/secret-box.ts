import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * AES-256-GCM with a fresh 96-bit IV per secret. The additional data binds a ciphertext to its
 * owner (the source name): a ciphertext copied to another row does not decrypt.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(plaintext: string, associatedData: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { iv, ciphertext, tag: cipher.getAuthTag() };
  }

  open(sealed: SealedSecret, associatedData: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  }
}

/** SPARK_SECRETS_KEY: a 256-bit key as 64 hex characters or base64 of 32 bytes. */
export function parseSecretsKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32)
    throw new Error('SPARK_SECRETS_KEY must be 32 bytes: 64 hex characters or base64 of 32 bytes');
  return key;
}

/** The secret box of SPARK_SECRETS_KEY, when it is set. */
export const secretBoxFromEnv = (env: NodeJS.ProcessEnv = process.env): SecretBox | undefined =>
  env.SPARK_SECRETS_KEY ? new SecretBox(parseSecretsKey(env.SPARK_SECRETS_KEY)) : undefined;
