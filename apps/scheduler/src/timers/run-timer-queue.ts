import { randomUUID } from 'node:crypto';
import { type FireTimerCommand, Topics } from '@spark/contracts';
import { type KafkaMessaging } from '@spark/messaging';
import { type TimerQueue } from './timer-queue';
import { type StoredTimer, type TimerStore } from './timer-store';

/**
 * Run timers fire as FireTimer commands on `spark.commands` (keyed by run). A crash between sending
 * and forgetting fires a timer twice, which the run decider ignores (the timer is no longer live).
 */
export const runTimerQueue = (store: TimerStore, messaging: KafkaMessaging): TimerQueue<StoredTimer> => ({
  due: (now, limit) => store.due(now, limit),
  fire: (timers, now) =>
    messaging.publish(
      Topics.commands,
      timers.map((timer) => toMessage(timer, now)),
    ),
  removeFired: (timers) => store.removeFired(timers),
  nextFireAt: () => store.nextFireAt(),
});

function toMessage(timer: StoredTimer, now: Date) {
  const command: FireTimerCommand = {
    type: 'FireTimer',
    commandId: randomUUID(),
    runId: timer.runId,
    issuedAt: now.toISOString(),
    timerId: timer.timerId,
    dueAt: timer.fireAt.toISOString(),
  };
  return {
    key: timer.runId,
    value: JSON.stringify(command),
    ...(timer.traceparent ? { headers: { traceparent: timer.traceparent } } : {}),
  };
}
