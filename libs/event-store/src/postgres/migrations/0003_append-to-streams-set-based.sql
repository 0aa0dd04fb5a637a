-- Up Migration
-- append_to_streams (0002) ran three statements per stream (its revision, a replay check, its insert).
-- Now, when no stream of the call holds its first event already (no replay: the common case), the
-- revisions of all streams come from one query and all events go in with one insert. A call where any
-- stream may be a replay goes to 0002's function, kept as append_to_streams_one_by_one. Same
-- arguments, results and errors (docs/adr/0043, addendum of stop 20).
ALTER FUNCTION append_to_streams(text[], bigint[], integer[], uuid[], text[], text[], text[]) RENAME TO append_to_streams_one_by_one;

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
  v_lock record;
  v_currents bigint[];
  v_offsets integer[];
  v_any_replay boolean;
  v_conflict integer;
  v_base bigint;
BEGIN
  FOR v_lock IN SELECT DISTINCT hashtext(name) AS key FROM unnest(p_stream_names) AS s(name) ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtext(current_schema()), v_lock.key);
  END LOOP;

  -- Every stream's current revision, where its events start in the arrays, and whether any stream
  -- already holds its first event id (then it may be a replay).
  SELECT array_agg(coalesce(cur.revision, -1) ORDER BY s.i),
         array_agg(s.first - 1 ORDER BY s.i),
         bool_or(EXISTS (SELECT 1 FROM events e WHERE e.stream_name = s.name AND e.event_id = p_ids[s.first]))
    INTO v_currents, v_offsets, v_any_replay
    FROM (SELECT u.name, u.i, (sum(u.n) OVER (ORDER BY u.i) - u.n + 1)::integer AS first
            FROM unnest(p_stream_names, p_counts) WITH ORDINALITY AS u(name, n, i)) AS s
    LEFT JOIN LATERAL (SELECT e.revision FROM events e WHERE e.stream_name = s.name
                        ORDER BY e.revision DESC LIMIT 1) AS cur ON true;

  IF v_any_replay THEN
    RETURN QUERY SELECT * FROM append_to_streams_one_by_one(
      p_stream_names, p_expected, p_counts, p_ids, p_types, p_data, p_metadata);
    RETURN;
  END IF;

  SELECT min(i) INTO v_conflict FROM generate_subscripts(p_stream_names, 1) AS i
   WHERE (p_expected[i] >= -1 AND v_currents[i] <> p_expected[i]) OR (p_expected[i] = -3 AND v_currents[i] = -1);
  IF v_conflict IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'ES409', MESSAGE = 'concurrency conflict',
      DETAIL = (v_conflict - 1)::text || ':' || v_currents[v_conflict]::text;
  END IF;
  -- Event k of the arrays is event j of stream i: the same positions and revisions as 0002 gives.
  v_base := pg_current_xact_id()::text::bigint << 20;
  INSERT INTO events (position, stream_name, revision, event_id, event_type, data, metadata)
  SELECT v_base + u.k - 1, p_stream_names[slot.i], v_currents[slot.i] + slot.j, u.id, u.type, u.data::json, u.metadata::json
    FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS u(id, type, data, metadata, k)
    JOIN (SELECT c.i, g.j, v_offsets[c.i] + g.j AS k
            FROM unnest(p_counts) WITH ORDINALITY AS c(n, i), generate_series(1, c.n) AS g(j)) AS slot
      ON slot.k = u.k;
  PERFORM pg_notify(current_schema() || '_events', '');
  RETURN QUERY SELECT (i - 1)::integer, v_currents[i] + p_counts[i], v_base + v_offsets[i] + p_counts[i] - 1
    FROM generate_subscripts(p_stream_names, 1) AS i ORDER BY i;
END
$$;

-- Down Migration
DROP FUNCTION append_to_streams(text[], bigint[], integer[], uuid[], text[], text[], text[]);
ALTER FUNCTION append_to_streams_one_by_one(text[], bigint[], integer[], uuid[], text[], text[], text[]) RENAME TO append_to_streams;
