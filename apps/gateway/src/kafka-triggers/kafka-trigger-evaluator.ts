import { type KafkaTriggerResource } from '@spark/contracts';
import { type IncomingMessage } from '@spark/messaging';
import { TriggerExpression } from '../triggers';

/** What a Kafka trigger's filter and input expressions see of a message. */
export interface TriggerMessageData {
  key: string | null;
  /** Parsed JSON when the value is JSON, else its text; null for a tombstone. */
  value: unknown;
  headers: Record<string, string>;
  topic: string;
  partition: number;
  /** 64-bit, so a string. */
  offset: string;
  /** The message's timestamp, ISO 8601. */
  timestamp: string;
}

export type TriggerVerdict = { matched: false } | { matched: true; input: unknown };

export function triggerMessageData(message: IncomingMessage): TriggerMessageData {
  return {
    key: message.key,
    value: parseValue(message.value),
    headers: message.headers,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
  };
}

function parseValue(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A Kafka trigger's expressions, compiled once per consumer. Throws TriggerExpressionError when an
 * expression fails on a message (the runner skips such a message instead of blocking its partition).
 */
export class KafkaTriggerEvaluator {
  private readonly filter?: TriggerExpression;
  private readonly input?: TriggerExpression;

  constructor(trigger: Pick<KafkaTriggerResource, 'filter' | 'input'>) {
    if (trigger.filter !== undefined) this.filter = TriggerExpression.compile('$.filter', trigger.filter);
    if (trigger.input !== undefined) this.input = TriggerExpression.compile('$.input', trigger.input);
  }

  async evaluate(message: IncomingMessage): Promise<TriggerVerdict> {
    const data = triggerMessageData(message);
    if (this.filter && !(await this.filter.matches(data))) return { matched: false };
    const input = this.input ? await this.input.evaluate(data) : data.value;
    return { matched: true, input: input ?? null };
  }
}
