import { type StoredEvent } from './in-memory-log';
import { type streams } from './protocol';

type ReadOptions = InstanceType<typeof streams.ReadReq.Options>;

export type EventFilter = {
  matches: (event: StoredEvent) => boolean;
  /** For filtered subscriptions: send a checkpoint after this many scanned events. */
  checkpointEvery: number | undefined;
};

const DEFAULT_FILTER_WINDOW = 32;

/** The server side of `filter` / `no_filter`: prefixes or a regex, on the stream name or the event type. */
export function eventFilterFrom(options: ReadOptions): EventFilter {
  const filter = options.hasFilter() ? options.getFilter() : undefined;
  if (!filter) return { matches: () => true, checkpointEvery: undefined };
  const onStreamName = filter.hasStreamIdentifier();
  const expression = onStreamName ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const subject = (event: StoredEvent) =>
    onStreamName ? event.streamName : (event.metadata.get('type') ?? '');
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_FILTER_WINDOW;
  return {
    matches: (event) => {
      const value = subject(event);
      if (prefixes.length > 0 && !prefixes.some((prefix) => value.startsWith(prefix))) return false;
      return regex ? regex.test(value) : true;
    },
    checkpointEvery: Math.max(1, window * Math.max(1, filter.getCheckpointintervalmultiplier())),
  };
}
