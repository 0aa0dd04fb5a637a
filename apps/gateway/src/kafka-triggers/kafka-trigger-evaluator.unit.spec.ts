import { type IncomingMessage } from '@spark/messaging';
import { TriggerExpression, TriggerExpressionError } from '../triggers';
import { KafkaTriggerEvaluator, triggerMessageData } from './kafka-trigger-evaluator';
import { kafkaTriggerIdempotencyKey } from './kafka-trigger-runner';

const message = (value: string | null, overrides: Partial<IncomingMessage> = {}): IncomingMessage => ({
  topic: 'orders.created',
  partition: 2,
  offset: '17',
  key: 'order-1',
  value: value === null ? null : Buffer.from(value),
  headers: { 'content-type': 'application/json' },
  timestamp: String(Date.UTC(2026, 0, 2, 3, 4, 5)),
  ...overrides,
});

describe('what Kafka trigger expressions see of a message', () => {
  it('is the key, the value parsed as JSON (else text), headers, topic, partition, offset and timestamp', () => {
    expect(triggerMessageData(message('{"total":120}'))).toEqual({
      key: 'order-1',
      value: { total: 120 },
      headers: { 'content-type': 'application/json' },
      topic: 'orders.created',
      partition: 2,
      offset: '17',
      timestamp: '2026-01-02T03:04:05.000Z',
    });
    expect(triggerMessageData(message('not json {')).value).toBe('not json {');
    expect(triggerMessageData(message(null)).value).toBeNull();
  });
});

describe('KafkaTriggerEvaluator', () => {
  it('without expressions matches every message and passes its value as the input', async () => {
    await expect(new KafkaTriggerEvaluator({}).evaluate(message('{"total":1}'))).resolves.toEqual({
      matched: true,
      input: { total: 1 },
    });
  });

  it('filters by a JSONata condition and maps the input from any part of the message', async () => {
    const evaluator = new KafkaTriggerEvaluator({
      filter: 'value.total > 100 and headers."content-type" = "application/json"',
      input: '{ "order": key, "total": value.total, "at": partition & "/" & offset }',
    });
    await expect(evaluator.evaluate(message('{"total":120}'))).resolves.toEqual({
      matched: true,
      input: { order: 'order-1', total: 120, at: '2/17' },
    });
    await expect(evaluator.evaluate(message('{"total":80}'))).resolves.toEqual({ matched: false });
    // A path to nothing is false, not an error (the value is text here).
    await expect(evaluator.evaluate(message('plain text'))).resolves.toEqual({ matched: false });
  });

  it('treats an empty sequence as false and a mapping to nothing as a null input', async () => {
    const evaluator = new KafkaTriggerEvaluator({
      filter: 'value.items[price > 10]',
      input: 'value.missing',
    });
    await expect(evaluator.evaluate(message('{"items":[{"price":5}]}'))).resolves.toEqual({ matched: false });
    await expect(evaluator.evaluate(message('{"items":[{"price":50}]}'))).resolves.toEqual({
      matched: true,
      input: null,
    });
  });

  it('reports an expression failing on a message as a TriggerExpressionError naming the field', async () => {
    const evaluator = new KafkaTriggerEvaluator({ filter: 'value.total > 1', input: '$number(value.total)' });
    await expect(evaluator.evaluate(message('{"total":"x"}'))).rejects.toEqual(
      expect.objectContaining({ name: 'TriggerExpressionError', field: '$.filter' }),
    );
    await expect(evaluator.evaluate(message('{"total":"12x"}'))).rejects.toBeInstanceOf(
      TriggerExpressionError,
    );
  });

  it('refuses expressions that do not compile, saying where', () => {
    expect(() => new KafkaTriggerEvaluator({ filter: 'value.total >' })).toThrow(
      expect.objectContaining({
        field: '$.filter',
        message: expect.stringMatching(/^\$\.filter is not a valid JSONata expression: .+/),
      }),
    );
  });
});

describe('TriggerExpression limits', () => {
  it('stops a runaway expression instead of stalling the gateway', async () => {
    const runaway = TriggerExpression.compile('$.input', '($f := function($n) { $f($n + 1) }; $f(0))');
    await expect(runaway.evaluate({})).rejects.toBeInstanceOf(TriggerExpressionError);
  });
});

describe('Kafka trigger idempotency keys', () => {
  it('identify a message by trigger, topic, partition and offset', () => {
    expect(kafkaTriggerIdempotencyKey('t-1', message('{}'))).toBe('kafka:t-1:orders.created:2:17');
    expect(kafkaTriggerIdempotencyKey('t-1', message('{}', { offset: '18' }))).not.toBe(
      kafkaTriggerIdempotencyKey('t-1', message('{}')),
    );
  });
});
