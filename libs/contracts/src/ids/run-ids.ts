import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of run ids derived from idempotency keys (a fixed random UUID). */
const RUN_ID_NAMESPACE = '6f1c2a4e-9b3d-4f6a-8c2e-1b7d5a9f3c08';

/**
 * The run id of a start: with an Idempotency-Key, a UUIDv5 (SHA-1, RFC 9562) of the workflow name and
 * the key, so repeating the start, from any gateway instance, names the same run; without one, random.
 */
export function runIdFor(workflow: string, idempotencyKey?: string): string {
  if (idempotencyKey === undefined) return randomUUID();
  return uuidv5(`${workflow}\u0000${idempotencyKey}`, RUN_ID_NAMESPACE);
}

/**
 * The run a schedule fire starts: derived from the fire's idempotency key alone
 * (`<scheduleId>:<nominal time>`), so every scheduler instance, the relay asking it to stop and the read
 * model all name the same run without knowing the schedule's workflow.
 */
export const scheduledRunId = (idempotencyKey: string): string => runIdFor('spark.schedule', idempotencyKey);
