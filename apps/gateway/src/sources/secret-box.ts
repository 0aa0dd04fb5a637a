import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PROBLEM_TYPES } from '@spark/contracts';
import { ProblemException } from '../problems/problem';

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

/** The box, or a 503 saying what cannot be done while the gateway has no SPARK_SECRETS_KEY. */
export function requireSecretBox(box: SecretBox | undefined, what: string): SecretBox {
  if (!box)
    throw new ProblemException({
      type: PROBLEM_TYPES.unavailable,
      title: 'Service unavailable',
      status: 503,
      detail: `${what}: the gateway has no SPARK_SECRETS_KEY`,
    });
  return box;
}
