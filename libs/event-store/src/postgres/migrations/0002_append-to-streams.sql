-- Up Migration
-- Many streams in one statement, one transaction (docs/adr/0042-batched-pipeline.md). The streams'
-- locks are taken first, in a fixed order, so two batches that share streams cannot deadlock, and
-- before anything is written (no transaction id while waiting: readers are not held back).
-- p_counts[i] events of p_ids/p_types/p_data/p_metadata belong to p_stream_names[i]; p_expected as in
-- append_to_stream. Either every stream is appended (or found already appended: idempotent replay)
-- or none: a failed expectation raises ES409 with DETAIL '<index>:<actual revision>' (index 0-based).
CREATE FUNCTION append_to_streams(
  p_stream_names text[],
  p_expected bigint[],
  p_counts integer[],
  p_ids uuid[],
  p_types text[],
  p_data text[],
  p_metadata text[]
) RETURNS TABLE (stream_index integer, next_expected_revision bigint, last_position bigint)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  v_streams integer := cardinality(p_stream_names);
  v_lock record;
  v_i integer;
  v_offset integer := 0;
  v_count integer;
  v_ids uuid[];
  v_current bigint;
  v_first_replayed bigint;
  v_base bigint;
  v_written integer := 0;
  v_revision bigint;
  v_position bigint;
BEGIN
  FOR v_lock IN SELECT DISTINCT hashtext(name) AS key FROM unnest(p_stream_names) AS s(name) ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtext(current_schema()), v_lock.key);
  END LOOP;

  FOR v_i IN 1 .. v_streams LOOP
    v_count := p_counts[v_i];
    v_ids := p_ids[v_offset + 1 : v_offset + v_count];

    SELECT e.revision INTO v_current
      FROM events e WHERE e.stream_name = p_stream_names[v_i] ORDER BY e.revision DESC LIMIT 1;
    v_current := coalesce(v_current, -1);

    v_first_replayed := NULL;
    SELECT e.revision INTO v_first_replayed
      FROM events e WHERE e.stream_name = p_stream_names[v_i] AND e.event_id = v_ids[1];
    IF v_first_replayed IS NOT NULL
       AND (p_expected[v_i] IN (-2, -3) OR v_first_replayed = p_expected[v_i] + 1)
       AND (SELECT count(*) FROM unnest(v_ids) WITH ORDINALITY AS u(id, i)
              JOIN events e ON e.stream_name = p_stream_names[v_i]
                           AND e.revision = v_first_replayed + u.i - 1
                           AND e.event_id = u.id) = v_count
    THEN
      SELECT e.revision, e.position INTO v_revision, v_position FROM events e
       WHERE e.stream_name = p_stream_names[v_i] AND e.revision = v_first_replayed + v_count - 1;
      stream_index := v_i - 1;
      next_expected_revision := v_revision;
      last_position := v_position;
      RETURN NEXT;
    ELSE
      IF (p_expected[v_i] >= -1 AND v_current <> p_expected[v_i]) OR (p_expected[v_i] = -3 AND v_current = -1) THEN
        RAISE EXCEPTION USING ERRCODE = 'ES409', MESSAGE = 'concurrency conflict',
          DETAIL = (v_i - 1)::text || ':' || v_current::text;
      END IF;
      v_base := (pg_current_xact_id()::text::bigint << 20) + v_written;
      INSERT INTO events (position, stream_name, revision, event_id, event_type, data, metadata)
      SELECT v_base + u.i - 1, p_stream_names[v_i], v_current + u.i, u.id, u.type, u.data::json, u.metadata::json
        FROM unnest(v_ids, p_types[v_offset + 1 : v_offset + v_count], p_data[v_offset + 1 : v_offset + v_count],
                    p_metadata[v_offset + 1 : v_offset + v_count]) WITH ORDINALITY AS u(id, type, data, metadata, i);
      v_written := v_written + v_count;
      stream_index := v_i - 1;
      next_expected_revision := v_current + v_count;
      last_position := v_base + v_count - 1;
      RETURN NEXT;
    END IF;
    v_offset := v_offset + v_count;
  END LOOP;

  IF v_written > 0 THEN
    PERFORM pg_notify(current_schema() || '_events', '');
  END IF;
END
$$;

-- Down Migration
DROP FUNCTION append_to_streams(text[], bigint[], integer[], uuid[], text[], text[], text[]);
