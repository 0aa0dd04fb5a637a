import { randomBytes } from 'node:crypto';
import { runIdFor } from '@spark/contracts';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, with a fresh IV each time', () => {
    const a = box.seal('lf-secret', 'langflow-main');
    const b = box.seal('lf-secret', 'langflow-main');
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('lf-secret');
    expect(box.open(a, 'langflow-main')).toBe('lf-secret');
  });

  it('refuses a ciphertext moved to another source, tampered with, or opened with another key', () => {
    const sealed = box.seal('lf-secret', 'langflow-main');
    expect(() => box.open(sealed, 'other-source')).toThrow();
    expect(() =>
      box.open({ ...sealed, ciphertext: Buffer.from(sealed.ciphertext).fill(1) }, 'langflow-main'),
    ).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'langflow-main')).toThrow();
  });
});

describe('run ids from idempotency keys', () => {
  it('are the same UUIDv5 for the same workflow and key, different otherwise', () => {
    const id = runIdFor('orders', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runIdFor('orders', 'key-1')).toBe(id);
    expect(runIdFor('orders', 'key-2')).not.toBe(id);
    expect(runIdFor('invoices', 'key-1')).not.toBe(id);
    expect(runIdFor('orders')).not.toBe(runIdFor('orders'));
  });
});
