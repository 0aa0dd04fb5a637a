import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a sender signs: `<timestamp>.<raw body>`, with the trigger's whole secret string as the HMAC key. */
export function webhookSignature(secret: string, timestamp: string | number, body: Buffer | string): string {
  const hmac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  hmac.update(`${timestamp}.`, 'utf8');
  hmac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return `sha256=${hmac.digest('hex')}`;
}

export interface SignedDelivery {
  /** X-Spark-Timestamp: unix seconds. */
  timestamp: string | undefined;
  /** X-Spark-Signature: `sha256=<64 hex digits>`. */
  signature: string | undefined;
  body: Buffer;
}

export interface SignatureWindow {
  nowSeconds: number;
  toleranceSeconds: number;
}

/** Why a delivery is not authentic, naming the header at fault (never anything about the secret). */
export type SignatureVerdict = { valid: true } | { valid: false; header: string; reason: string };

const TIMESTAMP = /^\d{1,15}$/;
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks a delivery's signature (compared in constant time) and then that its timestamp is within the
 * tolerance, so only authentic senders learn about clock skew.
 */
export function verifyWebhookSignature(
  secret: string,
  delivery: SignedDelivery,
  window: SignatureWindow,
): SignatureVerdict {
  const { timestamp, signature } = delivery;
  if (timestamp === undefined)
    return refused('X-Spark-Timestamp', 'The X-Spark-Timestamp header (unix seconds) is missing');
  if (!TIMESTAMP.test(timestamp))
    return refused('X-Spark-Timestamp', 'The X-Spark-Timestamp header must be unix seconds (digits only)');
  if (signature === undefined)
    return refused('X-Spark-Signature', 'The X-Spark-Signature header ("sha256=<hex HMAC>") is missing');
  const given = SIGNATURE.exec(signature)?.[1];
  if (given === undefined)
    return refused(
      'X-Spark-Signature',
      'The X-Spark-Signature header must be "sha256=" followed by 64 hex digits',
    );
  const expected = webhookSignature(secret, timestamp, delivery.body).slice('sha256='.length);
  if (!timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex')))
    return refused(
      'X-Spark-Signature',
      'The X-Spark-Signature does not match: sign "<X-Spark-Timestamp>.<raw body>" with HMAC-SHA256 and the trigger\'s secret',
    );
  const skew = window.nowSeconds - Number(timestamp);
  if (Math.abs(skew) > window.toleranceSeconds)
    return refused(
      'X-Spark-Timestamp',
      `The X-Spark-Timestamp is ${Math.abs(skew)} s in the ${skew > 0 ? 'past' : 'future'}, ` +
        `outside the tolerance of ${window.toleranceSeconds} s`,
    );
  return { valid: true };
}

const refused = (header: string, reason: string): SignatureVerdict => ({ valid: false, header, reason });
