// bench/kafka-clients: kafkajs (the project's client) against @platformatic/kafka on the real local
// Kafka, the same four shapes each, the clients run alternately for BENCH_ROUNDS rounds:
//   produce-one   one message per send, awaited (acks=all, idempotent producer): latency p50/p99
//   produce-batch batches of BENCH_KC_BATCH messages per send, awaited one after another: messages/s
//   consume-batch a fresh group reads those messages from the earliest offset: messages/s from the
//                 first message to the last (joining the group is reported apart)
//   commit        OffsetCommit of one partition, one at a time, by a member of the group: latency
// Run by bench/kafka-clients/run.sh, which writes the report; this prints one JSON object on stdout.
// Plain JavaScript, so the workspace's type check does not need this folder's packages installed.
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';
import { Consumer, Producer, ProduceAcks } from '@platformatic/kafka';
import kafkajs from 'kafkajs';

const brokers = (process.env.SPARK_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const scale = Number(process.env.BENCH_SCALE ?? '1');
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const batchSize = Number(process.env.BENCH_KC_BATCH ?? '100');
const sizes = {
  produceOne: Math.max(50, Math.round(1000 * scale)),
  produceBatch: Math.max(batchSize * 20, Math.round(100_000 * scale)),
  commits: Math.max(50, Math.round(500 * scale)),
  valueBytes: 256,
};
const value = Buffer.alloc(sizes.valueBytes, 'x');
const run = randomUUID().slice(0, 8);

function summarise(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] };
}

const version = (pkg) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./node_modules/${pkg}/package.json`, import.meta.url))))
    .version;

const kafka = new kafkajs.Kafka({ clientId: `bench-kc-${run}`, brokers, logLevel: kafkajs.logLevel.NOTHING });

async function createTopic(name) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

async function deleteTopics(names) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: names }).catch(() => undefined);
  await admin.disconnect();
}

/** The project's settings (libs/messaging): idempotent, acks=all, one request in flight. */
const kafkajsClient = {
  name: 'kafkajs',
  async producer() {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 5 } });
    await producer.connect();
    return {
      send: (topic, count) =>
        producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: count }, (_, i) => ({ key: String(i), value })),
        }),
      close: () => producer.disconnect(),
    };
  },
  /** Resolves once `expected` messages arrived; commit() then commits one offset at a time. */
  async consume(topic, expected) {
    const consumer = kafka.consumer({ groupId: `bench-kc-${run}-${topic}`, maxBytes: 10 * 1024 * 1024 });
    const joinStarted = performance.now();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let first;
    let received = 0;
    let done;
    const all = new Promise((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        first ??= performance.now();
        received += batch.messages.length;
        if (received >= expected) done(performance.now());
      },
    });
    const last = await all;
    return {
      joinMs: first - joinStarted,
      seconds: (last - first) / 1000,
      commit: (offset) => consumer.commitOffsets([{ topic, partition: 0, offset: String(offset) }]),
      close: () => consumer.disconnect(),
    };
  },
};

const platformaticClient = {
  name: '@platformatic/kafka',
  async producer() {
    const producer = new Producer({
      clientId: `bench-kc-${run}`,
      bootstrapBrokers: brokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      retries: 5,
    });
    return {
      send: (topic, count) =>
        producer.send({
          messages: Array.from({ length: count }, (_, i) => ({ topic, key: Buffer.from(String(i)), value })),
        }),
      close: () => producer.close(),
    };
  },
  async consume(topic, expected) {
    const consumer = new Consumer({
      groupId: `bench-kc-${run}-${topic}`,
      clientId: `bench-kc-${run}`,
      bootstrapBrokers: brokers,
      maxBytes: 10 * 1024 * 1024,
    });
    const joinStarted = performance.now();
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
    let first;
    let received = 0;
    let leaderEpoch = 0;
    const last = await new Promise((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (message) => {
        first ??= performance.now();
        leaderEpoch = message.leaderEpoch;
        if (++received === expected) resolve(performance.now());
      });
    });
    return {
      joinMs: first - joinStarted,
      seconds: (last - first) / 1000,
      commit: (offset) =>
        consumer.commit({ offsets: [{ topic, partition: 0, offset: BigInt(offset), leaderEpoch }] }),
      close: async () => {
        await stream.close();
        await consumer.close(true);
      },
    };
  },
};

async function measure(client, round) {
  const topic = `spark-bench-kc-${run}-${client.name.replace(/\W/g, '')}-${round}`;
  await createTopic(topic);
  const producer = await client.producer();
  try {
    await producer.send(topic, 1); // connects, gets a producer id
    const one = [];
    for (let i = 0; i < sizes.produceOne; i++) {
      const started = performance.now();
      await producer.send(topic, 1);
      one.push(performance.now() - started);
    }
    const batchStarted = performance.now();
    for (let sent = 0; sent < sizes.produceBatch; sent += batchSize) {
      await producer.send(topic, Math.min(batchSize, sizes.produceBatch - sent));
    }
    const batchSeconds = (performance.now() - batchStarted) / 1000;
    const expected = 1 + sizes.produceOne + sizes.produceBatch;
    const consumed = await client.consume(topic, expected);
    const commits = [];
    try {
      for (let i = 1; i <= sizes.commits; i++) {
        const started = performance.now();
        await consumed.commit(i);
        commits.push(performance.now() - started);
      }
    } finally {
      await consumed.close();
    }
    return {
      produceOne: summarise(one),
      produceBatchPerSecond: sizes.produceBatch / batchSeconds,
      consumePerSecond: expected / consumed.seconds,
      consumeJoinMs: consumed.joinMs,
      commit: summarise(commits),
      topic,
    };
  } finally {
    await producer.close();
  }
}

async function main() {
  const clients = [kafkajsClient, platformaticClient];
  const results = { kafkajs: [], platformatic: [] };
  const topics = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const client of clients) {
        console.error(`[kafka-clients] round ${round}/${rounds}: ${client.name}`);
        const figures = await measure(client, round);
        topics.push(figures.topic);
        results[client === kafkajsClient ? 'kafkajs' : 'platformatic'].push(figures);
      }
    }
  } finally {
    await deleteTopics(topics);
  }
  const output = {
    versions: { kafkajs: version('kafkajs'), platformatic: version('@platformatic/kafka') },
    sizes: { ...sizes, batchSize, rounds, scale },
    results,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
