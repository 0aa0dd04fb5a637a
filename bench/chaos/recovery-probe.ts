/**
 * A targeted look at recovery after one kill -9 (issue 16, ADR 0141): a gateway, two schedulers and two
 * executors on the shared stack (own Kafka namespace and schemas), one-step runs at a steady rate, one
 * SIGKILL of CHAOS_PROBE_VICTIM (default scheduler-1), restarted after CHAOS_PROBE_DOWN_MS; prints the
 * consumer groups' membership changes and the completions around the kill, with ms since the kill.
 * CHAOS_PROBE_SECOND names a second victim: killed when the first one's successor joins its group, or
 * CHAOS_PROBE_SECOND_AFTER_MS after the first kill.
 * Usage: node -r ./tools/runtime/register-paths.js dist/bench/chaos/recovery-probe.js (after tools/build).
 */
import { randomBytes } from 'node:crypto';
import { migrateEventStoreSchema } from '@spark/event-store';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { Fleet } from './fleet';
import { GatewayApi } from './gateway-api';
import { log, sleep } from './timing';
import { EffectLedger } from './effect-ledger';
import { definitions, inputOf, kindAt, workflowName } from './workload';

async function main() {
  const brokers = process.env.SPARK_KAFKA_BROKERS ?? '127.0.0.1:19092';
  const pgUrl = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
  const victimName = process.env.CHAOS_PROBE_VICTIM ?? 'scheduler-1';
  const downMs = Number(process.env.CHAOS_PROBE_DOWN_MS ?? '2000');
  const rate = Number(process.env.CHAOS_PROBE_RATE ?? '10');
  const tag = randomBytes(4).toString('hex');
  const namespace = `probe${tag}.`;
  const schemas = {
    es: `probe${tag}_es`,
    sch: `probe${tag}_sch`,
    rm: `probe${tag}_rm`,
    gw: `probe${tag}_gw`,
  };
  await migrateEventStoreSchema({ connection: pgUrl, schema: schemas.es });
  const mixed = process.env.CHAOS_PROBE_MIX === '1';
  const ledger = new EffectLedger();
  const target = await ledger.start();
  const apiKey = `probe-${randomBytes(12).toString('hex')}`;
  const fleet = await Fleet.start(
    {
      SPARK_PG_URL: pgUrl,
      SPARK_KAFKA_BROKERS: brokers,
      SPARK_KAFKA_NAMESPACE: namespace,
      SPARK_EVENT_STORE: 'postgres',
      SPARK_EVENT_STORE_SCHEMA: schemas.es,
      SPARK_SCHEDULER_SCHEMA: schemas.sch,
      SPARK_READ_MODEL_SCHEMA: schemas.rm,
      SPARK_GATEWAY_SCHEMA: schemas.gw,
      SPARK_GATEWAY_BOOTSTRAP_KEY: apiKey,
      SPARK_TRACING: 'off',
      SPARK_LOG_LEVEL: process.env.SPARK_LOG_LEVEL ?? 'info',
      SPARK_EXECUTOR_CIRCUIT_RESET_MS: '2000',
    },
    { gateway: 1, scheduler: 2, executor: 2 },
  );
  const pool = new Pool({ connectionString: pgUrl, max: 2 });
  const kafka = new Kafka({ clientId: 'probe', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const api = new GatewayApi(fleet.gatewayUrls, apiKey);
  for (const definition of definitions(target)) {
    await api.call('POST', '/workflows', definition, { accept: [200, 201] });
  }
  let loading = true;
  let n = 0;
  const load = (async () => {
    while (loading) {
      const index = n++;
      // The mix of bench/chaos, less the signal kind (nobody sends its signal here).
      const drawn = mixed ? kindAt(index) : 'one-step';
      const kind = drawn === 'signal' ? 'one-step' : drawn;
      void api
        .call(
          'POST',
          '/runs',
          { workflow: workflowName(kind), input: inputOf(kind, index) },
          { idempotencyKey: `probe-${tag}-${index}`, accept: [202] },
        )
        .catch((error: unknown) => log(`start ${index}: ${String(error)}`));
      await sleep(1000 / rate);
    }
  })();
  let killAt = 0;
  const since = () => (killAt ? `${Date.now() - killAt} ms` : 'before');
  let sampling = true;
  const last = new Map<string, string>();
  const sampler = (async () => {
    while (sampling) {
      const groups = (await admin.listGroups().catch(() => ({ groups: [] }))).groups
        .map((group) => group.groupId)
        .filter((id) => id.startsWith(namespace) && !id.includes('health') && !id.includes('cancel'));
      const described = await admin.describeGroups(groups).catch(() => ({ groups: [] }));
      for (const group of described.groups) {
        const state = `${group.state} [${group.members
          .map((member) => `${member.clientId}/${member.memberId.slice(-6)}`)
          .sort()
          .join(', ')}]`;
        if (last.get(group.groupId) !== state) {
          last.set(group.groupId, state);
          log(`${since()}: ${group.groupId.slice(namespace.length)} ${state}`);
        }
      }
      await sleep(100);
    }
  })();
  await sleep(8000);
  const victim = fleet.instances.find((instance) => instance.name === victimName)!;
  killAt = Date.now();
  await fleet.kill(victim);
  log(`0 ms: kill -9 ${victimName}`);
  // CHAOS_PROBE_SECOND with CHAOS_PROBE_SECOND_AFTER_MS: the second kill lands that long after the first,
  // while the first victim is still down (e.g. a scheduler and an executor down together).
  const secondAfterMs = process.env.CHAOS_PROBE_SECOND_AFTER_MS;
  const secondName = process.env.CHAOS_PROBE_SECOND;
  if (secondName && secondAfterMs) {
    const second = fleet.instances.find((instance) => instance.name === secondName)!;
    void sleep(Number(secondAfterMs)).then(async () => {
      await fleet.kill(second);
      log(`${since()}: kill -9 ${secondName}`);
      await sleep(downMs);
      log(`${since()}: starting ${secondName}`);
      await fleet.startInstance(second);
      log(`${since()}: ${secondName} ready`);
    });
  }
  await sleep(downMs);
  log(`${since()}: starting ${victimName}`);
  const restarted = fleet.startInstance(victim);
  if (secondName && !secondAfterMs) {
    // The second kill lands in the rebalance the restarted instance's join starts.
    const groupId = `${namespace}${victimName.startsWith('scheduler') ? 'spark-scheduler' : 'spark-executor'}`;
    const before = new Set<string>();
    for (;;) {
      const [group] = (await admin.describeGroups([groupId])).groups;
      const members = group?.members ?? [];
      if (before.size === 0) members.forEach((member) => before.add(member.memberId));
      if (members.some((member) => member.clientId === victimName && !before.has(member.memberId))) {
        log(`${since()}: ${victimName} joined (${group?.state}); kill -9 ${secondName}`);
        break;
      }
      await sleep(20);
    }
    const second = fleet.instances.find((instance) => instance.name === secondName)!;
    await fleet.kill(second);
    void sleep(downMs).then(() => fleet.startInstance(second));
  }
  await restarted;
  log(`${since()}: ${victimName} ready`);
  await sleep(12000);
  loading = false;
  await load;
  sampling = false;
  await sampler;
  const { rows } = await pool.query<{ at: Date }>(
    `SELECT recorded_at AS at FROM ${schemas.es}.events WHERE event_type = 'RunCompleted' ORDER BY recorded_at`,
  );
  const times = rows.map((row) => row.at.getTime() - killAt);
  const after = times.filter((t) => t >= -2000 && t <= 20000);
  // Gaps between completions longer than 300 ms, around the kill.
  for (let i = 1; i < after.length; i++)
    if (after[i]! - after[i - 1]! > 300) log(`gap in completions: ${after[i - 1]} → ${after[i]} ms`);
  log(`first completion after the kill: ${times.find((t) => t >= 0)} ms; runs started ${n}`);
  for (const instance of fleet.instances) log(`${instance.name} log: ${instance.process?.logFile}`);
  await fleet.stop();
  await ledger.stop();
  await admin.disconnect();
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
