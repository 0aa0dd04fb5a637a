import { randomBytes, randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE, runIdFor, Topics } from '@spark/contracts';
import { type IncomingMessage, KafkaMessaging, kafkaSettingsFromEnv } from '@spark/messaging';
import { EngineHarness } from '@spark/testing';
import { Kafka, logLevel } from 'kafkajs';
import { webhookSignature } from '../hooks/webhook-signature';

// Triggers end to end: webhook deliveries and Kafka messages of a topic "another team" owns start runs
// through the gateway, against the real Kafka and PostgreSQL, with the scheduler, executor and projector.

const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
let BASE_URL = '';

interface Response<T> {
  status: number;
  body: T;
  contentType: string | null;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Response<T>> {
  const response = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    contentType: response.headers.get('content-type'),
  };
}

const admin = (method: string, path: string, body?: unknown) =>
  call(method, path, { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` }, body });

interface Trigger {
  id: string;
  secret?: string;
  hookPath?: string;
  enabled: boolean;
}

interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  reason?: string;
}

interface HookAnswer {
  runId: string;
  status: string;
  duplicate: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('triggers end to end', () => {
  let engine: EngineHarness;
  /** Plays the team that owns the topic: produces by the topic's own name, outside Spark's namespace. */
  let outside: KafkaMessaging;
  let kafka: Kafka;
  const suffix = randomUUID().slice(0, 8);
  const workflow = `orders-${suffix}`;
  const topic = `e2e-orders-${suffix}`;

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
        SPARK_GATEWAY_TRIGGER_POLL_MS: '500',
      },
    });
    BASE_URL = `http://127.0.0.1:${engine.ports.gateway}`;
    await engine.register({
      name: workflow,
      version: 1,
      inputSchema: {
        type: 'object',
        required: ['orderId', 'total'],
        properties: { orderId: { type: 'string' }, total: { type: 'number' } },
      },
      steps: [
        { id: 'echo', type: 'task', handler: 'transform', config: { expression: 'input' }, input: '=input' },
      ],
      output: 'steps.echo.output',
    });
    const settings = kafkaSettingsFromEnv(`e2e-orders-team-${process.pid}`, {
      ...process.env,
      SPARK_KAFKA_NAMESPACE: '',
    });
    outside = new KafkaMessaging(settings);
    kafka = new Kafka({ clientId: settings.clientId, brokers: settings.brokers, logLevel: logLevel.NOTHING });
    await outside.ensureTopics([{ name: topic, partitions: 1 }]);
  });

  afterAll(async () => {
    await engine?.stop();
    await outside?.deleteTopics([topic]).catch(() => undefined);
    await outside?.close();
  });

  /** The ids of the runs carrying the trigger's label, once the read model shows at least `atLeast`. */
  const runsOf = async (triggerId: string, atLeast: number): Promise<string[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await admin(
        'GET',
        `/api/v1/runs?label=${encodeURIComponent(`spark-trigger=${triggerId}`)}`,
      );
      const ids = (body as unknown as { items: { runId: string }[] }).items.map((run) => run.runId).sort();
      if (ids.length >= atLeast || Date.now() > deadline) return ids;
      await sleep(200);
    }
  };

  describe('webhook triggers', () => {
    let trigger: Trigger;

    const deliver = (
      body: string,
      {
        delivery = randomUUID(),
        timestamp = Math.floor(Date.now() / 1000),
        secret = trigger.secret!,
        query = '',
        headers = {},
      }: {
        delivery?: string;
        timestamp?: number;
        secret?: string;
        query?: string;
        headers?: Record<string, string>;
      } = {},
    ) =>
      call<HookAnswer & Problem>('POST', `${trigger.hookPath}${query}`, {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'x-spark-timestamp': String(timestamp),
          'x-spark-signature': webhookSignature(secret, timestamp, body),
          'x-spark-delivery': delivery,
          ...headers,
        },
      });

    beforeAll(async () => {
      const created = await admin('POST', '/api/v1/triggers', {
        kind: 'webhook',
        workflow: { name: workflow },
        input:
          '{ "orderId": body.order.id, "total": body.order.total * $number(query.factor), "by": headers."x-sender" }',
      });
      expect(created.status).toBe(201);
      trigger = created.body as unknown as Trigger;
    });

    it('shows the secret once: never in get or list', async () => {
      expect(trigger).toMatchObject({
        kind: 'webhook',
        workflow: { name: workflow },
        toleranceSeconds: 300,
        enabled: true,
        hookPath: `/api/v1/hooks/${trigger.id}`,
      });
      expect(trigger.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const read = await admin('GET', `/api/v1/triggers/${trigger.id}`);
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty('secret');
      expect(JSON.stringify(read.body)).not.toContain(trigger.secret);
      const listed = await admin('GET', '/api/v1/triggers');
      expect(JSON.stringify(listed.body)).toContain(trigger.id);
      expect(JSON.stringify(listed.body)).not.toContain(trigger.secret);
    });

    it('refuses triggers that cannot work, naming every field at fault', async () => {
      const invalid = await admin('POST', '/api/v1/triggers', {
        kind: 'webhook',
        workflow: { name: `missing-${suffix}` },
        input: '{ "a": body.',
        topic: 'orders',
      });
      expect(invalid.status).toBe(422);
      expect(invalid.contentType).toMatch(PROBLEM_CONTENT_TYPE);
      expect((invalid.body as unknown as Problem).errors!.map((error) => error.path).sort()).toEqual([
        '$.input',
        '$.topic',
        '$.workflow.name',
      ]);
      const noTopic = await admin('POST', '/api/v1/triggers', {
        kind: 'kafka',
        workflow: { name: workflow },
      });
      expect(noTopic.status).toBe(422);
      expect((noTopic.body as unknown as Problem).errors).toEqual([
        { path: '$.topic', message: 'is required for kafka triggers' },
      ]);
      const writer = await admin('POST', '/api/v1/api-keys', { name: 'e2e-writer', scopes: ['write'] });
      const forbidden = await call('POST', '/api/v1/triggers', {
        headers: { authorization: `Bearer ${(writer.body as { key: string }).key}` },
        body: { kind: 'webhook', workflow: { name: workflow } },
      });
      expect(forbidden.status).toBe(403);
    });

    it('starts a run with the mapped input for a good signature, once per delivery id', async () => {
      const delivery = `delivery-${suffix}`;
      const body = JSON.stringify({ order: { id: 'A-1', total: 21 } });
      const first = await deliver(body, { delivery, query: '?factor=2', headers: { 'x-sender': 'shop' } });
      expect(first.status).toBe(202);
      const expectedRunId = runIdFor(workflow, `webhook:${trigger.id}:${delivery}`);
      expect(first.body).toEqual({
        runId: expectedRunId,
        status: 'PENDING',
        duplicate: false,
        location: `/api/v1/runs/${expectedRunId}`,
      });
      const run = await engine.waitForRun(expectedRunId);
      expect(run.outcome).toBe('RunCompleted');
      expect(run.result.output).toEqual({ orderId: 'A-1', total: 42, by: 'shop' });

      // The sender retries the same delivery (signed anew): the same run, nothing started.
      const replay = await deliver(body, { delivery, query: '?factor=2' });
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ runId: expectedRunId, status: 'COMPLETED', duplicate: true });
      expect(await runsOf(trigger.id, 1)).toEqual([expectedRunId]);
      const events = await engine.events(expectedRunId);
      expect(events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
    });

    it('answers 401 and starts nothing for a bad signature or a timestamp outside the tolerance', async () => {
      const body = JSON.stringify({ order: { id: 'B-1', total: 1 } });
      const refused: [string, Awaited<ReturnType<typeof deliver>>][] = [];
      const forged = `forged-${suffix}`;
      refused.push([forged, await deliver(body, { delivery: forged, secret: 'whsec_guessed' })]);
      const expired = `expired-${suffix}`;
      refused.push([
        expired,
        await deliver(body, { delivery: expired, timestamp: Math.floor(Date.now() / 1000) - 301 }),
      ]);
      const unsigned = `unsigned-${suffix}`;
      refused.push([
        unsigned,
        await deliver(body, { delivery: unsigned, headers: { 'x-spark-signature': '' } }),
      ]);
      const tampered = `tampered-${suffix}`;
      const signedAt = Math.floor(Date.now() / 1000);
      refused.push([
        tampered,
        await call<HookAnswer & Problem>('POST', trigger.hookPath!, {
          raw: body.replace('B-1', 'B-2'),
          headers: {
            'content-type': 'application/json',
            'x-spark-timestamp': String(signedAt),
            'x-spark-signature': webhookSignature(trigger.secret!, signedAt, body),
            'x-spark-delivery': tampered,
          },
        }),
      ]);
      const [forgedAnswer, expiredAnswer, unsignedAnswer, tamperedAnswer] = refused.map(
        ([, answer]) => answer,
      );
      for (const answer of [forgedAnswer, expiredAnswer, unsignedAnswer, tamperedAnswer]) {
        expect(answer!.status).toBe(401);
        expect(answer!.contentType).toMatch(PROBLEM_CONTENT_TYPE);
        expect(JSON.stringify(answer!.body)).not.toContain(trigger.secret);
      }
      expect(forgedAnswer!.body.errors).toEqual([
        { path: 'header:X-Spark-Signature', message: expect.stringMatching(/does not match/) },
      ]);
      expect(tamperedAnswer!.body.errors![0]!.path).toBe('header:X-Spark-Signature');
      expect(unsignedAnswer!.body.errors![0]!.path).toBe('header:X-Spark-Signature');
      expect(expiredAnswer!.body.detail).toMatch(
        /X-Spark-Timestamp is 30\d s in the past, outside the tolerance of 300 s/,
      );
      await sleep(1000);
      for (const [delivery] of refused)
        expect(await engine.events(runIdFor(workflow, `webhook:${trigger.id}:${delivery}`))).toEqual([]);
      expect(await runsOf(trigger.id, 1)).toHaveLength(1);
    });

    it('a captured request replayed under a new delivery id is the first delivery again, not a new run', async () => {
      const body = JSON.stringify({ order: { id: 'B-7', total: 1 } });
      const timestamp = Math.floor(Date.now() / 1000);
      const signed = {
        'content-type': 'application/json',
        'x-spark-timestamp': String(timestamp),
        'x-spark-signature': webhookSignature(trigger.secret!, timestamp, body),
      };
      const post = (delivery: string) =>
        call<HookAnswer & Problem>('POST', `${trigger.hookPath}?factor=1`, {
          raw: body,
          headers: { ...signed, 'x-spark-delivery': delivery },
        });
      const original = await post(`original-${suffix}`);
      expect(original.status).toBe(202);
      expect(original.body.duplicate).toBe(false);
      const replayed = await post(`forged-${suffix}`);
      expect(replayed.status).toBe(202);
      expect(replayed.body).toMatchObject({ runId: original.body.runId, duplicate: true });
      await engine.waitForRun(original.body.runId);
      expect((await engine.events(original.body.runId)).filter((e) => e.type === 'RunStarted')).toHaveLength(
        1,
      );
    });

    it('answers 404 for an unknown trigger, 400 without a delivery id, 409 while paused', async () => {
      const body = JSON.stringify({ order: { id: 'C-1', total: 1 } });
      const unknown = await call('POST', `/api/v1/hooks/${randomUUID()}`, { raw: body });
      expect(unknown.status).toBe(404);
      const noDelivery = await deliver(body, { headers: { 'x-spark-delivery': '' } });
      expect(noDelivery.status).toBe(400);
      expect(noDelivery.body.errors).toEqual([
        { path: 'header:X-Spark-Delivery', message: expect.any(String) },
      ]);
      expect((await admin('POST', `/api/v1/triggers/${trigger.id}/pause`)).body).toMatchObject({
        enabled: false,
      });
      const paused = await deliver(body, { query: '?factor=1' });
      expect(paused.status).toBe(409);
      expect(paused.body.reason).toBe('TRIGGER_PAUSED');
      expect((await admin('POST', `/api/v1/triggers/${trigger.id}/resume`)).body).toMatchObject({
        enabled: true,
      });
    });

    it('rotates the secret: the old one stops working at once', async () => {
      const old = trigger.secret!;
      const rotated = await admin('POST', `/api/v1/triggers/${trigger.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      const secret = (rotated.body as unknown as Trigger).secret!;
      expect(secret).toMatch(/^whsec_/);
      expect(secret).not.toBe(old);
      const body = JSON.stringify({ order: { id: 'D-1', total: 5 } });
      expect((await deliver(body, { secret: old, query: '?factor=1' })).status).toBe(401);
      const accepted = await deliver(body, { secret, query: '?factor=1' });
      expect(accepted.status).toBe(202);
      expect((await engine.waitForRun(accepted.body.runId)).result.output).toEqual({
        orderId: 'D-1',
        total: 5,
      });
    });
  });

  describe('Kafka triggers', () => {
    let trigger: Trigger;
    const runIdAt = (offset: number) => runIdFor(workflow, `kafka:${trigger.id}:${topic}:0:${offset}`);
    const groupId = () => `${engine.env.SPARK_KAFKA_NAMESPACE}spark-trigger-${trigger.id}`;

    const produce = (...values: string[]) =>
      outside.publish(
        topic,
        values.map((value, index) => ({ key: `order-${index}`, value, headers: { source: 'shop' } })),
      );

    /** The group's committed offset on partition 0 (-1 when none). */
    const committed = async (): Promise<number> => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId: groupId(), topics: [topic] });
        return Number(offsets?.partitions[0]?.offset ?? -1);
      } finally {
        await admin.disconnect();
      }
    };

    const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(200);
      }
    };

    const groupState = async (): Promise<string> => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { groups } = await admin.describeGroups([groupId()]);
        return groups[0]?.state ?? 'Unknown';
      } finally {
        await admin.disconnect();
      }
    };

    it('starts exactly one run per matching message, with the mapped input', async () => {
      const created = await admin('POST', '/api/v1/triggers', {
        kind: 'kafka',
        topic,
        workflow: { name: workflow, version: 1 },
        filter: 'value.total > 100',
        input: '{ "orderId": value.id & "@" & headers.source, "total": value.total }',
        startFrom: 'earliest',
      });
      expect(created.status).toBe(201);
      trigger = created.body as unknown as Trigger;
      expect(trigger).not.toHaveProperty('secret');

      await produce(
        JSON.stringify({ id: 'K-1', total: 150 }),
        JSON.stringify({ id: 'K-2', total: 50 }),
        JSON.stringify({ id: 'K-3', total: 300 }),
      );
      const [first, third] = await Promise.all([
        engine.waitForRun(runIdAt(0)),
        engine.waitForRun(runIdAt(2)),
      ]);
      expect(first.result.output).toEqual({ orderId: 'K-1@shop', total: 150 });
      expect(third.result.output).toEqual({ orderId: 'K-3@shop', total: 300 });
      await waitFor('offsets committed past the third message', async () => (await committed()) === 3);
      expect(await engine.events(runIdAt(1))).toEqual([]);
      expect(await runsOf(trigger.id, 2)).toEqual([runIdAt(0), runIdAt(2)].sort());
    });

    it('starts no second run when the messages are delivered again', async () => {
      expect((await admin('POST', `/api/v1/triggers/${trigger.id}/pause`)).status).toBe(200);
      await waitFor('the paused trigger to leave its group', async () =>
        ['Empty', 'Dead'].includes(await groupState()),
      );
      const admin_ = kafka.admin();
      await admin_.connect();
      await admin_.setOffsets({ groupId: groupId(), topic, partitions: [{ partition: 0, offset: '0' }] });
      await admin_.disconnect();
      expect(await committed()).toBe(0);

      expect((await admin('POST', `/api/v1/triggers/${trigger.id}/resume`)).status).toBe(200);
      await waitFor('the redelivered messages to be committed again', async () => (await committed()) === 3);
      await sleep(1500);
      expect(await runsOf(trigger.id, 2)).toEqual([runIdAt(0), runIdAt(2)].sort());
      for (const offset of [0, 2]) {
        const events = await engine.events(runIdAt(offset));
        expect(events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
      }
    });

    it('skips a message its expressions fail on (to the dead-letter topic) without blocking the partition', async () => {
      await produce(JSON.stringify({ id: 'K-4', total: 'lots' }), JSON.stringify({ id: 'K-5', total: 500 }));
      const next = await engine.waitForRun(runIdAt(4));
      expect(next.result.output).toEqual({ orderId: 'K-5@shop', total: 500 });
      expect(await engine.events(runIdAt(3))).toEqual([]);
      await waitFor('offsets committed past the skipped message', async () => (await committed()) === 5);
      const deadLetters: IncomingMessage[] = [];
      const reader = await engine.messaging.consume({
        groupId: `e2e-dlq-${suffix}`,
        topics: [Topics.deadLetters],
        fromBeginning: true,
        handle: async (message) => void deadLetters.push(message),
      });
      try {
        await waitFor('the skipped message on the dead-letter topic', async () =>
          deadLetters.some((message) => message.headers['spark-dlq-origin-topic'] === topic),
        );
      } finally {
        await reader.stop();
      }
      const [skipped] = deadLetters.filter((message) => message.headers['spark-dlq-origin-topic'] === topic);
      expect(skipped!.headers).toMatchObject({
        'spark-dlq-origin-offset': '3',
        'spark-dlq-consumer-group': `spark-trigger-${trigger.id}`,
        'spark-dlq-error': expect.stringContaining('$.filter failed'),
      });
      expect(JSON.parse(skipped!.value!.toString('utf8'))).toEqual({ id: 'K-4', total: 'lots' });
      const metrics = await (
        await fetch(`${BASE_URL}/metrics`, { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } })
      ).text();
      expect(metrics).toMatch(
        new RegExp(
          `spark_trigger_messages_total\\{[^}]*trigger="${trigger.id}"[^}]*outcome="failed"[^}]*\\} 1`,
        ),
      );
    });

    it('stops consuming once the trigger is deleted', async () => {
      expect((await admin('DELETE', `/api/v1/triggers/${trigger.id}`)).status).toBe(204);
      expect((await admin('GET', `/api/v1/triggers/${trigger.id}`)).status).toBe(404);
      await waitFor('the deleted trigger to leave its group', async () =>
        ['Empty', 'Dead'].includes(await groupState()),
      );
      await produce(JSON.stringify({ id: 'K-6', total: 600 }));
      await sleep(2000);
      expect(await engine.events(runIdAt(5))).toEqual([]);
      expect(await committed()).toBe(5);
    });
  });
});
