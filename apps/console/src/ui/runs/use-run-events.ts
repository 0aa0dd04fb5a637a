import {
  FINAL_RUN_STATUSES,
  type RunEvent,
  type RunStatus,
  type SparkApi,
  watchRunEvents,
} from '@spark/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

/**
 * The run's events over SSE: the stored ones, then live ones until the run's final event. Each event
 * refreshes the run's view. When a finished run becomes active again (retried), the stream is opened
 * again after the last event seen.
 */
export function useRunEvents(api: SparkApi, runId: string, status: RunStatus | undefined) {
  const client = useQueryClient();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [live, setLive] = useState(false);
  const [generation, setGeneration] = useState(0);
  const lastRevision = useRef<string | undefined>(undefined);
  const wasFinal = useRef<boolean | undefined>(undefined);

  useEffect(() => {
    setEvents([]);
    lastRevision.current = undefined;
    wasFinal.current = undefined;
  }, [runId]);

  useEffect(() => {
    if (status === undefined) return;
    const final = FINAL_RUN_STATUSES.includes(status);
    if (wasFinal.current === true && !final) setGeneration((value) => value + 1);
    wasFinal.current = final;
  }, [status]);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void client.invalidateQueries({ queryKey: ['run', runId] });
      }, 100);
    };
    (async () => {
      setLive(true);
      try {
        const after = lastRevision.current;
        for await (const event of watchRunEvents(api, runId, {
          signal: abort.signal,
          ...(after ? { afterRevision: after } : {}),
        })) {
          lastRevision.current = event.revision;
          setEvents((seen) => [...seen, event]);
          refresh();
        }
      } catch {
        // An aborted or broken stream: the run's view still refreshes on its own (see refetchInterval).
      } finally {
        if (!abort.signal.aborted) {
          setLive(false);
          void client.invalidateQueries({ queryKey: ['run', runId] });
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
