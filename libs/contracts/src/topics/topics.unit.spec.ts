import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_TASK_QUEUE,
  TASK_LANES,
  TASK_TOPIC_PARTITIONS,
  taskLaneOf,
  taskLaneTopic,
  TOPIC_PARTITIONS,
} from '.';

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
      ...Object.fromEntries(
        TASK_LANES.map((lane) => [taskLaneTopic(DEFAULT_TASK_QUEUE, lane), TASK_TOPIC_PARTITIONS]),
      ),
    });
  });

  it('puts priorities 7–9 in the high lane, 0–3 in the low one, the rest on the queue itself', () => {
    expect([0, 3, 4, 5, 6, 7, 9].map(taskLaneOf)).toEqual([
      'low',
      'low',
      'normal',
      'normal',
      'normal',
      'high',
      'high',
    ]);
    expect(TASK_LANES.map((lane) => taskLaneTopic('llm.high', lane))).toEqual([
      'spark.tasks-high.llm.high',
      'spark.tasks.llm.high',
      'spark.tasks-low.llm.high',
    ]);
  });
});
