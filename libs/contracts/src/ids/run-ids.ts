import { createHash, randomUUID } from 'node:crypto';

/** Namespace of run ids derived from idempotency keys (a fixed random UUID). */
const RUN_ID_NAMESPACE = Buffer.from('6f1c2a4e9b3d4f6a8c2e1b7d5a9f3c08', 'hex');

/**
 * The run id of a start: with an Idempotency-Key, a UUIDv5 (SHA-1, RFC 9562) of the workflow name and
 * the key, so repeating the start, from any gateway instance, names the same run; without one, random.
 */
export function runIdFor(workflow: string, idempotencyKey?: string): string {
  if (idempotencyKey === undefined) return randomUUID();
  const hash = createHash('sha1')
    .update(RUN_ID_NAMESPACE)
    .update(`${workflow}\u0000${idempotencyKey}`, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The run a schedule fire starts: derived from the fire's idempotency key alone
 * (`<scheduleId>:<nominal time>`), so every scheduler instance, the relay asking it to stop and the read
 * model all name the same run without knowing the schedule's workflow.
 */
export const scheduledRunId = (idempotencyKey: string): string => runIdFor('spark.schedule', idempotencyKey);
