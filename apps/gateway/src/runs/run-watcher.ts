import { Inject, Injectable } from '@nestjs/common';
import { type RunEventMessage, runStreamName } from '@spark/contracts';
import { type EventSubscription, type RecordedEvent } from '@spark/event-store';
import { isFinalRunEventType } from '@spark/workflow-domain';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { GatewayStorage } from '../storage/gateway-storage';
import { RunService } from './run-service';

export const toRunEventMessage = (runId: string, event: RecordedEvent): RunEventMessage => ({
  runId,
  revision: event.revision.toString(),
  type: event.type,
  data: event.data,
  recordedAt: event.recordedAt.toISOString(),
});

/**
 * A run's events as they are appended: the stored ones first (after `afterRevision`), then live
 * ones from an `$all` subscription filtered to the run's stream, ending after the run's final event.
 * The subscription starts at the log's head read *before* the stream, so no event falls in between;
 * revisions already sent are skipped.
 */
@Injectable()
export class RunWatcher {
  constructor(
    private readonly storage: GatewayStorage,
    private readonly runs: RunService,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  async *watch(
    runId: string,
    afterRevision: bigint | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<RecordedEvent> {
    const stream = runStreamName(runId);
    const [head] = await this.storage.store.readAll({ direction: 'backwards', maxCount: 1 });
    let last = afterRevision ?? -1n;
    let finished = false;
    for (const event of await this.runs.events(runId)) {
      if (isFinalRunEventType(event.type)) finished = true;
      else if (event.type === 'RunResumed') finished = false;
      if (event.revision <= last) continue;
      last = event.revision;
      yield event;
    }
    // A retry from failure resumes a failed run: "finished" is the state at the stream's end.
    if (finished) return;
    if (signal.aborted) return;
    const subscription: EventSubscription = this.storage.store.subscribeToAll({
      ...(head ? { fromPosition: head.position } : {}),
      filter: { streamNamePrefixes: [stream] },
    });
    const stop = () => void subscription.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const event of subscription) {
        if (event.streamName !== stream || event.revision <= last) continue;
        last = event.revision;
        yield event;
        if (isFinalRunEventType(event.type)) return;
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await subscription.close();
    }
  }

  get heartbeatMs(): number {
    return this.settings.sseHeartbeatMs;
  }
}
