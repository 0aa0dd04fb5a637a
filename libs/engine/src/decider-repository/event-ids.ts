import { hash } from 'node:crypto';

/**
 * A UUID derived from the message that caused an append, the event's place in it and the event itself.
 * Retrying the same append (e.g. after a lost response) sends the same ids, which the event store treats
 * as an idempotent no-op instead of writing the events twice. The content is part of it because a
 * message decided again later (a redelivery, on another instance) can decide differently — its `now`
 * moved, so its timers did — and must then meet a conflict, and be decided on what the stream holds,
 * rather than pass for a replay of what is stored (docs/adr/0140).
 */
export function deterministicEventId(
  causationId: string,
  streamName: string,
  index: number,
  event: { type: string; data: unknown },
): string {
  // One-shot hash: every appended event passes here, and a Hash object per event cost twice as much.
  const hex = hash(
    'sha256',
    `${causationId}\u0000${streamName}\u0000${index}\u0000${event.type}\u0000${JSON.stringify(event.data) ?? 'null'}`,
  );
  // Shaped as a version-8 (custom) RFC 9562 UUID.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
