import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TASK_QUEUE, TASK_TOPIC_PARTITIONS, taskTopic, TOPIC_PARTITIONS } from '.';

describe('topic registry', () => {
  it('is the list tools/stack creates, with the same partition counts', () => {
    const listed = readFileSync(path.join(__dirname, '../../../../tools/stack.d/topics'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean)
      .map((line) => line.split(/\s+/))
      .map(([name, partitions]) => [name, Number(partitions)]);

    expect(Object.fromEntries(listed)).toEqual({
      ...TOPIC_PARTITIONS,
      [taskTopic(DEFAULT_TASK_QUEUE)]: TASK_TOPIC_PARTITIONS,
    });
  });
});
