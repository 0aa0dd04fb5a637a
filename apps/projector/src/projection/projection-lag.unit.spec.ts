import { lagExposition } from './projection-lag';

describe('lagExposition', () => {
  it('writes each checkpoint as a labelled series, and the leader and applied counts, in Prometheus text', async () => {
    const text = await lagExposition(
      [
        { name: 'read-model', lag: { eventsBehind: 12, secondsBehind: 1.5, checkpoint: 340n } },
        { name: 'public-events', lag: { eventsBehind: 0, secondsBehind: 0, checkpoint: 352n } },
      ],
      { leader: true, eventsApplied: 7 },
    );
    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '# TYPE spark_projection_lag_events gauge',
        'spark_projection_lag_events{checkpoint="read-model"} 12',
        'spark_projection_lag_events{checkpoint="public-events"} 0',
        'spark_projection_lag_seconds{checkpoint="read-model"} 1.5',
        'spark_projection_checkpoint_position{checkpoint="public-events"} 352',
        '# TYPE spark_projection_leader gauge',
        'spark_projection_leader 1',
        '# TYPE spark_projection_events_applied_total counter',
        'spark_projection_events_applied_total 7',
      ]),
    );
    expect((await lagExposition([], { leader: false, eventsApplied: 0 })).split('\n')).toContain(
      'spark_projection_leader 0',
    );
  });
});
