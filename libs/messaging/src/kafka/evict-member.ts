import { networkInterfaces } from 'node:os';
import type { Kafka } from 'kafkajs';

interface Coordinator {
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
}

interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<Coordinator>;
}

/**
 * Sends a LeaveGroup for another member of a group: the coordinator removes it and rebalances at once,
 * instead of waiting for its session to time out. For a member whose process is known to be dead (a
 * predecessor killed with kill -9, docs/adr/0141). kafkajs has no public call for it (its admin client
 * lacks removeMembers), so this uses the cluster factory the Kafka object keeps for its own clients
 * (kafkajs 2.2.4, pinned). Returns false when that is not there, and the caller waits instead.
 */
export async function evictMember(kafka: Kafka, groupId: string, memberId: string): Promise<boolean> {
  const factory = Object.getOwnPropertySymbols(kafka).find(
    (symbol) => symbol.description === 'private:Kafka:createCluster',
  );
  const createCluster = factory ? (kafka as unknown as Record<symbol, unknown>)[factory] : undefined;
  if (typeof createCluster !== 'function') return false;
  const cluster = (createCluster as (options: object) => Cluster)({ allowAutoTopicCreation: false });
  await cluster.connect();
  try {
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    await coordinator.leaveGroup({ groupId, memberId }).catch((error: unknown) => {
      // Its session ended meanwhile: gone all the same.
      if ((error as { type?: unknown } | undefined)?.type !== 'UNKNOWN_MEMBER_ID') throw error;
    });
    return true;
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

/**
 * Whether a member's host, as the broker saw it ("/10.0.0.7"), is an address of this machine: a member
 * with this process's client id from another host is a replica given the same id (e.g. the default
 * `<service>-<pid>` of two containers whose process is pid 1), alive, and is not removed.
 */
export function isOwnHost(clientHost: string): boolean {
  const host = clientHost.replace(/^\//, '').replace(/^::ffff:/, '');
  return Object.values(networkInterfaces()).some((addresses) =>
    (addresses ?? []).some((address) => address.address.replace(/^::ffff:/, '') === host),
  );
}
