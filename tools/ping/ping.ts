import { randomUUID } from 'node:crypto';
import {
  SERVICE_NAMES,
  Topics,
  type HealthMessage,
  type HealthPong,
  type ServiceName,
} from '@spark/contracts';
import { KafkaMessaging, kafkaSettingsFromEnv } from '@spark/messaging';
import { DEFAULT_HTTP_PORTS } from '@spark/service-kit';

export interface ServiceCheck {
  service: ServiceName;
  url: string;
  ready: boolean;
  readyDetail: string;
  pong?: HealthPong;
  pongMs?: number;
}

/**
 * Proves every service is up and reachable: its HTTP readiness endpoint answers 200, and it
 * answers a ping sent through Kafka (so its consumer group works end to end).
 */
export async function pingServices(
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceCheck[]> {
  const host = env.SPARK_HTTP_HOST ?? '127.0.0.1';
  const checks: ServiceCheck[] = SERVICE_NAMES.map((service) => ({
    service,
    url: `http://${host}:${env[`SPARK_${service.toUpperCase()}_PORT`] ?? DEFAULT_HTTP_PORTS[service]}/health/ready`,
    ready: false,
    readyDetail: 'not checked',
  }));
  await Promise.all(checks.map((check) => checkReadiness(check)));

  const messaging = new KafkaMessaging(kafkaSettingsFromEnv(`spark-cli-${process.pid}`, env));
  const nonce = randomUUID();
  const waiting = new Map(checks.map((check) => [check.service, check]));
  let sentAt = 0;
  try {
    let allAnswered: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (allAnswered = resolve));
    const consumer = await messaging.consume({
      groupId: `spark-cli-ping-${nonce}`,
      topics: [Topics.health],
      // A fresh group reads from the start and filters by nonce, so an answer that arrives
      // before the group's first fetch is never missed.
      fromBeginning: true,
      handle: async (message) => {
        const pong = parse(message.value);
        if (pong?.kind !== 'pong' || pong.nonce !== nonce) return;
        const check = waiting.get(pong.service);
        if (!check) return;
        check.pong = pong;
        check.pongMs = Date.now() - sentAt;
        waiting.delete(pong.service);
        if (waiting.size === 0) allAnswered();
      },
    });
    await consumer.ready;
    sentAt = Date.now();
    const ping: HealthMessage = { kind: 'ping', nonce, sentAt: new Date(sentAt).toISOString() };
    await messaging.publish(Topics.health, [{ key: nonce, value: JSON.stringify(ping) }]);
    await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    await consumer.stop();
  } finally {
    await messaging.close();
  }
  return checks;
}

async function checkReadiness(check: ServiceCheck): Promise<void> {
  try {
    const response = await fetch(check.url, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status?: string; checks?: Record<string, { error?: string }> };
    check.ready = response.status === 200;
    check.readyDetail = check.ready
      ? 'ready'
      : Object.entries(body.checks ?? {})
          .filter(([, result]) => result.error)
          .map(([name, result]) => `${name}: ${result.error}`)
          .join('; ') || `HTTP ${response.status}`;
  } catch (error) {
    check.readyDetail = `unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
}

function parse(value: Buffer | null): HealthMessage | undefined {
  try {
    return value ? (JSON.parse(value.toString('utf8')) as HealthMessage) : undefined;
  } catch {
    return undefined;
  }
}

export function formatChecks(checks: ServiceCheck[]): string {
  const rows = checks.map((check) => [
    check.service,
    check.ready ? 'ready' : `NOT READY: ${check.readyDetail}`,
    check.pong ? `pong in ${check.pongMs} ms from ${check.pong.instanceId}` : 'NO ANSWER through Kafka',
  ]);
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell)).join('  '))
    .join('\n');
}
