import { Injectable } from '@nestjs/common';
import { GatewayStorage } from '../storage/gateway-storage';

/** Expired signatures are deleted at most this often, by whichever delivery comes along. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Remembers which delivery id each accepted signature came with, for as long as the signature could
 * pass the timestamp check. The same signed request under another delivery id is the first delivery
 * again, never a new one.
 */
@Injectable()
export class WebhookReplayGuard {
  private lastSweep = 0;

  constructor(private readonly storage: GatewayStorage) {}

  /** The delivery id this signature was first accepted with (this one, when it is new). */
  async firstDeliveryOf(
    triggerId: string,
    signature: string,
    deliveryId: string,
    expiresAt: Date,
  ): Promise<string> {
    await this.sweep();
    const table = this.storage.table('webhook_signatures');
    const { rows } = await this.storage.pool.query<{ delivery_id: string }>(
      `WITH inserted AS (
         INSERT INTO ${table} (trigger_id, signature, delivery_id, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (trigger_id, signature) DO NOTHING
         RETURNING delivery_id)
       SELECT delivery_id FROM inserted
       UNION ALL
       SELECT delivery_id FROM ${table} WHERE trigger_id = $1 AND signature = $2
       LIMIT 1`,
      [triggerId, signature.toLowerCase(), deliveryId, expiresAt],
    );
    return rows[0]?.delivery_id ?? deliveryId;
  }

  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    await this.storage.pool.query(
      `DELETE FROM ${this.storage.table('webhook_signatures')} WHERE expires_at < now()`,
    );
  }
}
