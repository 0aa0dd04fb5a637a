import type { OutgoingMessage } from '../kafka/message';
import { CoalescingPublisher } from './coalescing-publisher';

describe('CoalescingPublisher', () => {
  it('sends the first message at once and what arrives during a send together in the next one, in order', async () => {
    const sends: { topic: string; values: string[] }[] = [];
    let release: () => void = () => undefined;
    const publisher = new CoalescingPublisher(async (topic, messages: OutgoingMessage[]) => {
      sends.push({ topic, values: messages.map((message) => String(message.value)) });
      if (sends.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = publisher.publish('t', { key: 'k', value: '1' });
    const later = ['2', '3', '4'].map((value) => publisher.publish('t', { key: 'k', value }));
    const other = publisher.publish('u', { key: 'k', value: 'x' });
    await other;
    expect(sends).toEqual([
      { topic: 't', values: ['1'] },
      { topic: 'u', values: ['x'] },
    ]);
    release();
    await Promise.all([first, ...later]);
    expect(sends[2]).toEqual({ topic: 't', values: ['2', '3', '4'] });
  });

  it('rejects the callers whose send failed and goes on with the next messages', async () => {
    let calls = 0;
    const publisher = new CoalescingPublisher(async () => {
      calls++;
      if (calls === 1) throw new Error('broker away');
    });
    await expect(publisher.publish('t', { key: 'k', value: '1' })).rejects.toThrow('broker away');
    await expect(publisher.publish('t', { key: 'k', value: '2' })).resolves.toBeUndefined();
  });

  it('splits a long queue into sends of at most the given size', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const publisher = new CoalescingPublisher(async (_topic, messages) => {
      sizes.push(messages.length);
      if (sizes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 2);
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((value) => publisher.publish('t', { key: 'k', value }));
    release();
    await Promise.all(all);
    expect(sizes).toEqual([1, 2, 2, 1]);
  });
});
