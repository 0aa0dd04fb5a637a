import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { RangeAssigner } from './range-assigner';

describe('RangeAssigner', () => {
  const assign = async (memberIds: string[], partitions: Record<string, number>) => {
    const cluster = {
      findTopicPartitionMetadata: (topic: string) =>
        Array.from({ length: partitions[topic]! }, (_, partitionId) => ({ partitionId })),
    } as unknown as Cluster;
    const assigner = RangeAssigner({ cluster, groupId: 'g', logger: {} as Logger });
    const result = await assigner.assign({
      members: memberIds.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) })),
      topics: Object.keys(partitions),
    });
    return Object.fromEntries(
      result.map(({ memberId, memberAssignment }) => [
        memberId,
        AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment,
      ]),
    );
  };

  it('gives each member a contiguous range of each topic, in member id order', async () => {
    expect(await assign(['b-2', 'a-1'], { tasks: 6 })).toEqual({
      'a-1': { tasks: [0, 1, 2] },
      'b-2': { tasks: [3, 4, 5] },
    });
  });

  it('gives the first members one more when the partitions do not divide, and none to a member beyond them', async () => {
    expect(await assign(['a', 'b', 'c'], { x: 7, y: 2 })).toEqual({
      a: { x: [0, 1, 2], y: [0] },
      b: { x: [3, 4], y: [1] },
      c: { x: [5, 6] },
    });
  });
});
