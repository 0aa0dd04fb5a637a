-- Up Migration
-- Tables live in the schema node-pg-migrate puts first on the search_path (the adapter's `schema`).
-- Ordering and visibility: docs/adr/0021-postgresql-event-store-global-order.md.

CREATE TABLE events (
  -- (id of the appending transaction << 20) + index of the event in its append: increasing in the
  -- order readers must follow, and a reader only reads below the oldest transaction still running.
  position bigint PRIMARY KEY,
  stream_name text NOT NULL,
  revision bigint NOT NULL CHECK (revision >= 0),
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  -- json keeps the caller's text as sent (jsonb would reorder keys and refuse \u0000).
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_revision UNIQUE (stream_name, revision)
);

CREATE INDEX events_stream_event_id ON events (stream_name, event_id);

-- One round trip per append. p_expected: >= 0 exact revision, -1 no stream, -2 any, -3 stream exists.
-- Raises SQLSTATE ES409 (detail: the actual revision, -1 for no stream) when the expectation fails.
CREATE FUNCTION append_to_stream(
  p_stream_name text,
  p_expected bigint,
  p_ids uuid[],
  p_types text[],
  p_data text[],
  p_metadata text[]
) RETURNS TABLE (next_expected_revision bigint, last_position bigint)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  v_count integer := cardinality(p_ids);
  v_current bigint;
  v_first_replayed bigint;
  v_base bigint;
BEGIN
  -- Serialises appends to one stream. Taken before the transaction writes anything, so a writer
  -- waiting here has no transaction id yet and does not hold readers back.
  PERFORM pg_advisory_xact_lock(hashtext(current_schema()), hashtext(p_stream_name));

  SELECT e.revision INTO v_current
    FROM events e WHERE e.stream_name = p_stream_name ORDER BY e.revision DESC LIMIT 1;
  v_current := coalesce(v_current, -1);

  -- Idempotent replay: the same ids already stored, in order, where the expectation puts them.
  SELECT e.revision INTO v_first_replayed
    FROM events e WHERE e.stream_name = p_stream_name AND e.event_id = p_ids[1];
  IF v_first_replayed IS NOT NULL
     AND (p_expected IN (-2, -3) OR v_first_replayed = p_expected + 1)
     AND (SELECT count(*) FROM unnest(p_ids) WITH ORDINALITY AS u(id, i)
            JOIN events e ON e.stream_name = p_stream_name
                         AND e.revision = v_first_replayed + u.i - 1
                         AND e.event_id = u.id) = v_count
  THEN
    RETURN QUERY
      SELECT e.revision, e.position FROM events e
       WHERE e.stream_name = p_stream_name AND e.revision = v_first_replayed + v_count - 1;
    RETURN;
  END IF;

  IF (p_expected >= -1 AND v_current <> p_expected) OR (p_expected = -3 AND v_current = -1) THEN
    RAISE EXCEPTION USING ERRCODE = 'ES409', MESSAGE = 'concurrency conflict', DETAIL = v_current::text;
  END IF;

  v_base := pg_current_xact_id()::text::bigint << 20;
  INSERT INTO events (position, stream_name, revision, event_id, event_type, data, metadata)
  SELECT v_base + u.i - 1, p_stream_name, v_current + u.i, u.id, u.type, u.data::json, u.metadata::json
    FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS u(id, type, data, metadata, i);

  -- Delivered at commit; subscribers re-read on it (they also poll, in case a notification is lost).
  PERFORM pg_notify(current_schema() || '_events', '');

  RETURN QUERY SELECT v_current + v_count, v_base + v_count - 1;
END
$$;

-- Down Migration
DROP FUNCTION append_to_stream(text, bigint, uuid[], text[], text[], text[]);
DROP TABLE events;
