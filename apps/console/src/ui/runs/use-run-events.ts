import { type RunEvent, type SparkApi, watchRunEvents } from '@spark/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

/** Whether stream revision `a` is past `b` (revisions are 64-bit numbers, sent as strings). */
const after = (a: string, b: string): boolean => {
  try {
    return BigInt(a) > BigInt(b);
  } catch {
    return false;
  }
};

/**
 * The run's events over SSE: the stored ones, then live ones until the run's final event. Each event
 * refreshes the run's view. When the view shows a revision past the last event seen after the stream
 * ended (the run was retried, say), the stream is opened again after that event.
 */
export function useRunEvents(api: SparkApi, runId: string, revision: string | undefined) {
  const client = useQueryClient();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [live, setLive] = useState(false);
  const [generation, setGeneration] = useState(0);
  const lastRevision = useRef<string | undefined>(undefined);
  // The revision the run's view shows: events up to it are in the view already (no refetch for them).
  const viewRevision = useRef(revision);
  viewRevision.current = revision;

  useEffect(() => {
    if (!live && revision && lastRevision.current && after(revision, lastRevision.current))
      setGeneration((value) => value + 1);
  }, [live, revision]);

  useEffect(() => {
    const abort = new AbortController();
    // A run's history can be thousands of events: they reach the page in batches, not one render each.
    const pending: RunEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let flushed = false;
    const flush = () => {
      timer = undefined;
      flushed = true;
      const batch = pending.splice(0);
      if (batch.length > 0) setEvents((seen) => seen.concat(batch));
      // Opening a finished run replays thousands of stored events the view already has: each refetch
      // of a big run re-reads its whole stream, so only events past the view's revision refresh it.
      // A read in flight is not restarted (under load a big run's read outlasts the batches, and each
      // restart began it again); polling covers what it may miss while the run is live.
      const newest = batch.at(-1)?.revision;
      const shown = viewRevision.current;
      if (newest ? !shown || after(newest, shown) : !shown)
        void client.invalidateQueries({ queryKey: ['run', runId] }, { cancelRefetch: false });
    };
    // The first events at once (RunStarted carries the definition the graph is drawn from), then in batches.
    const refresh = () => {
      if (!flushed) flush();
      else if (!timer) timer = setTimeout(flush, 100);
    };
    setLive(true);
    (async () => {
      try {
        const from = lastRevision.current;
        for await (const event of watchRunEvents(api, runId, {
          signal: abort.signal,
          ...(from ? { afterRevision: from } : {}),
        })) {
          if (lastRevision.current && !after(event.revision, lastRevision.current)) continue;
          lastRevision.current = event.revision;
          pending.push(event);
          refresh();
        }
      } catch {
        // An aborted or broken stream: the run's view still refreshes on its own (refetchInterval).
      } finally {
        if (!abort.signal.aborted) {
          if (timer) clearTimeout(timer);
          flush();
          setLive(false);
        }
      }
    })();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, client, runId, generation]);

  return { events, live };
}
