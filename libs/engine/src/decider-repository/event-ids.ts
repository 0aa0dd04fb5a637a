import { createHash } from 'node:crypto';

/**
 * A UUID derived from the message that caused an append and the event's place in it. Retrying the
 * same append (e.g. after a lost response) then sends the same ids, which the event store treats as
 * an idempotent no-op instead of writing the events twice.
 */
export function deterministicEventId(causationId: string, streamName: string, index: number): string {
  const hex = createHash('sha256').update(`${causationId}\u0000${streamName}\u0000${index}`).digest('hex');
  // Shaped as a version-8 (custom) RFC 9562 UUID.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
