import { AssignerProtocol, type Assignment, type PartitionAssigner } from 'kafkajs';

/**
 * Kafka's range assignment, which kafkajs does not ship: each topic's partitions in contiguous ranges,
 * one per member (members in id order, the first ones one more when it does not divide). With two members
 * on six partitions: 0–2 and 3–5. A group that takes this where a group it works with takes round robin
 * (0, 2, 4 and 1, 3, 5) shares a partition between any member of one and any member of the other
 * (docs/adr/0142).
 */
const NAME = 'SparkRangeAssigner';
const VERSION = 0;

export const RangeAssigner: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: VERSION,
  async assign({ members, topics }) {
    const sorted = members.map(({ memberId }) => memberId).sort();
    const assignment = new Map<string, Assignment>(sorted.map((memberId) => [memberId, {}]));
    for (const topic of topics) {
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((metadata) => metadata.partitionId)
        .sort((a, b) => a - b);
      const share = Math.floor(partitions.length / sorted.length);
      const extra = partitions.length % sorted.length;
      let next = 0;
      sorted.forEach((memberId, index) => {
        const count = share + (index < extra ? 1 : 0);
        if (count > 0) assignment.get(memberId)![topic] = partitions.slice(next, next + count);
        next += count;
      });
    }
    return sorted.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: VERSION,
        assignment: assignment.get(memberId)!,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: NAME,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: VERSION,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});
