/**
 * Kafka clients benchmark (bench/kafka-clients/run.sh): runs bench.mjs (kafkajs and @platformatic/kafka
 * alternately against the real local Kafka), then writes bench/reports/kafka-clients-<date>.md/.json
 * with the median of each figure over the rounds and platformatic ÷ kafkajs.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@spark/testing';
import { median } from '../peers/compare';
import { describeMachine } from '../shared/machine';
import { machineFigures, writeReport } from '../shared/report';
import { formatMs, type LatencySummary } from '../shared/stats';

interface ClientRound {
  produceOne: LatencySummary;
  produceBatchPerSecond: number;
  consumePerSecond: number;
  consumeJoinMs: number;
  commit: LatencySummary;
}

interface BenchOutput {
  versions: { kafkajs: string; platformatic: string };
  sizes: {
    produceOne: number;
    produceBatch: number;
    commits: number;
    valueBytes: number;
    batchSize: number;
    rounds: number;
    scale: number;
  };
  results: { kafkajs: ClientRound[]; platformatic: ClientRound[] };
}

const FIGURES: { key: string; label: string; of: (round: ClientRound) => number; perSecond?: boolean }[] = [
  {
    key: 'produce_one.p50_ms',
    label: 'produce one message, acks=all, idempotent: p50 ms',
    of: (r) => r.produceOne.p50Ms,
  },
  { key: 'produce_one.p99_ms', label: 'produce one message: p99 ms', of: (r) => r.produceOne.p99Ms },
  {
    key: 'produce_batch.per_s',
    label: 'produce in batches: messages/s',
    of: (r) => r.produceBatchPerSecond,
    perSecond: true,
  },
  {
    key: 'consume_batch.per_s',
    label: 'batch consume: messages/s',
    of: (r) => r.consumePerSecond,
    perSecond: true,
  },
  { key: 'consume_join.ms', label: 'consumer start → first message: ms', of: (r) => r.consumeJoinMs },
  { key: 'commit.p50_ms', label: 'offset commit: p50 ms', of: (r) => r.commit.p50Ms },
  { key: 'commit.p99_ms', label: 'offset commit: p99 ms', of: (r) => r.commit.p99Ms },
];

async function main() {
  const startedAt = new Date();
  const child = spawnSync(process.execPath, ['bench.mjs'], {
    cwd: path.join(WORKSPACE_ROOT, 'bench/kafka-clients'),
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`bench/kafka-clients/bench.mjs exited with ${child.status}`);
  const output = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchOutput;
  const figures: Record<string, number> = {
    scale: output.sizes.scale,
    rounds: output.sizes.rounds,
    'size.produce_one': output.sizes.produceOne,
    'size.produce_batch': output.sizes.produceBatch,
    'size.batch': output.sizes.batchSize,
    'size.commits': output.sizes.commits,
    'size.value_bytes': output.sizes.valueBytes,
  };
  const rows: string[] = [];
  for (const { key, label, of, perSecond } of FIGURES) {
    const kafkajs = median(output.results.kafkajs.map(of));
    const platformatic = median(output.results.platformatic.map(of));
    const ratio = platformatic / kafkajs;
    figures[`kafkajs.${key}`] = Math.round(kafkajs * 1000) / 1000;
    figures[`platformatic.${key}`] = Math.round(platformatic * 1000) / 1000;
    figures[`ratio.platformatic_over_kafkajs.${key}`] = Math.round(ratio * 1000) / 1000;
    const show = (value: number) => (perSecond ? value.toFixed(0) : formatMs(value));
    rows.push(`| ${label} | ${show(kafkajs)} | ${show(platformatic)} | ${ratio.toFixed(2)}× |`);
  }
  const perRound = (['kafkajs', 'platformatic'] as const).flatMap((client) =>
    output.results[client].map(
      (round, index) =>
        `| ${client} | ${index + 1} | ${FIGURES.map(({ of, perSecond }) => (perSecond ? of(round).toFixed(0) : formatMs(of(round)))).join(' | ')} |`,
    ),
  );
  const machine = await describeMachine(
    process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark',
  );
  const s = output.sizes;
  const report = [
    `# Kafka clients benchmark — ${startedAt.toISOString()}`,
    '',
    `Command: \`bench/kafka-clients/run.sh\` (BENCH_SCALE=${s.scale}, BENCH_ROUNDS=${s.rounds}). kafkajs ${output.versions.kafkajs}`,
    `(the project's client) and @platformatic/kafka ${output.versions.platformatic}, alternately in one process, against the`,
    `local Kafka ${process.env.BENCH_KAFKA_VERSION ?? ''} of tools/stack (one broker, KRaft, TCP loopback), a topic of one partition`,
    'per client and round. Each figure is the median over the rounds. The machine is shared and noisy.',
    '',
    `- Producers as libs/messaging sets kafkajs up: idempotent, acks=all (kafkajs: maxInFlightRequests 1).`,
    `- produce one: ${s.produceOne} sends of one ${s.valueBytes}-byte message, each awaited.`,
    `- produce in batches: ${s.produceBatch} messages in sends of ${s.batchSize}, each awaited before the next.`,
    '- batch consume: a new consumer group reads every message of the topic from the earliest offset (kafkajs',
    '  `eachBatch`; platformatic: its message stream), messages/s from the first message to the last; joining',
    '  the group is the separate "start → first message" figure.',
    `- offset commit: ${s.commits} OffsetCommit requests for the partition, one at a time, by the consumer that`,
    '  read it (kafkajs `commitOffsets`, platformatic `consumer.commit`).',
    '',
    '## Machine',
    '',
    ...machine,
    '',
    '## Medians',
    '',
    '| figure | kafkajs | @platformatic/kafka | platformatic ÷ kafkajs |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
    '## Every round',
    '',
    `| client | round | ${FIGURES.map(({ key }) => key).join(' | ')} |`,
    `| --- | ---: | ${FIGURES.map(() => '---:').join(' | ')} |`,
    ...perRound,
    '',
  ].join('\n');
  process.stdout.write(report);
  const written = writeReport('kafka-clients', startedAt, report, { ...figures, ...machineFigures() });
  console.log(`\nwritten: ${written.markdown}, ${written.json}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
