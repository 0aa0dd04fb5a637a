import { Kafka, logLevel } from 'kafkajs';
import { evictMember, isOwnHost } from './evict-member';
import { kafkaSettingsFromEnv, type KafkaSettings } from './settings';

export interface RemovedMember {
  groupId: string;
  memberId: string;
}

/**
 * Removes this process's dead predecessor (a member with its client id on this machine, docs/adr/0141)
 * from every Spark group (`spark-…` in the namespace; a group named otherwise, e.g. a custom
 * SPARK_EXECUTOR_GROUP, is left to the removal right before joining it). For the very start of a
 * process: its partitions move to the live members now, not when this process has loaded and joins
 * (docs/adr/0142). Gives up after `timeoutMs` (e.g. Kafka down): the removal before joining still applies.
 */
export async function removePredecessors(
  settings: KafkaSettings,
  timeoutMs = 3000,
): Promise<RemovedMember[]> {
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(1000, timeoutMs),
    retry: { retries: 1, initialRetryTime: 100 },
  });
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const work = async (): Promise<RemovedMember[]> => {
    await admin.connect();
    const prefix = `${settings.namespace ?? ''}spark-`;
    const groupIds = (await admin.listGroups()).groups
      .filter((group) => group.protocolType === 'consumer' && group.groupId.startsWith(prefix))
      .map((group) => group.groupId);
    const removed: RemovedMember[] = [];
    for (let start = 0; start < groupIds.length; start += 50) {
      const { groups } = await admin.describeGroups(groupIds.slice(start, start + 50));
      for (const group of groups)
        for (const member of group.members)
          if (member.clientId === settings.clientId && isOwnHost(member.clientHost))
            if (await evictMember(kafka, group.groupId, member.memberId))
              removed.push({ groupId: group.groupId, memberId: member.memberId });
    }
    return removed;
  };
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * {@link removePredecessors} for a service's main.ts, before its modules load: only with a stable
 * SPARK_INSTANCE_ID (the default `<service>-<pid>` names no predecessor) and not for `--help`. Never
 * fails the start: a problem is logged, and a malformed setting is left for the service to report.
 */
export async function removePredecessorsOnStart(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const instanceId = env.SPARK_INSTANCE_ID;
  if (!instanceId || process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) return;
  const line = (level: number, msg: string, extra: object) =>
    process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, ...extra, msg })}\n`);
  try {
    const removed = await removePredecessors(kafkaSettingsFromEnv(instanceId, env));
    for (const member of removed)
      line(30, `removed the previous ${instanceId} from ${member.groupId} at start`, member);
  } catch (error) {
    line(40, `could not look for a previous ${instanceId} at start`, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
