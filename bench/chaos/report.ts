import { type ChaosResult } from './chaos';

const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)} %` : 'n/a');
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const rate = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)}/s` : 'n/a');

/** Whether every end check of the issue holds (what the e2e version asserts). */
export function verdicts(result: ChaosResult): Record<string, boolean> {
  return {
    'every accepted run final': result.outcomes.stuck === 0 && result.runsAccepted === result.runsStarted,
    'every run with the outcome its workflow implies': result.outcomes.wrongOutcome === 0,
    'no run started twice': result.outcomes.duplicateStarts === 0,
    'no step applied twice without a timeout of its earlier attempt': result.effects.duplicateEffects === 0,
    'no effect lost': result.effects.lostEffects === 0,
    'each schedule fire once per nominal time, none skipped':
      result.schedule.duplicateFires === 0 &&
      result.schedule.gaps === 0 &&
      result.schedule.runsStartedTwice === 0,
    'every schedule run final': result.schedule.runsNotFinal === 0,
    'read model caught up and equal to the store':
      result.readModel.caughtUp && result.readModel.statusMismatches === 0,
    'rebuild from position 0 equals the live read model': result.readModel.rebuildEqualsLive,
    'public events complete and in order':
      result.publicEvents.runsIncomplete === 0 && result.publicEvents.runsOutOfOrder === 0,
    'no consumer group lagging': result.lag.lag === 0,
    'no message dead-lettered': result.deadLetters.count === 0,
    'no timer left held, no dispatch left unrelayed':
      result.leftovers.timersOfFinishedRuns === 0 && result.leftovers.dispatchesNotRelayed === 0,
    'no advisory lock left held': result.locksHeld === 0,
  };
}

export function renderReport(result: ChaosResult, machine: string[]): string {
  const { outcomes, effects, schedule, readModel, publicEvents, lag, leftovers, recovery, throughput } =
    result;
  const checks = verdicts(result);
  const lines = [
    `# Chaos bench — ${result.startedAt.toISOString()}`,
    '',
    '`bench/chaos/run.sh`: two instances each of gateway, scheduler, executor and projector on a private Kafka and',
    'PostgreSQL (the local event store), the workload started through the gateways’ REST API while faults are injected',
    'at random moments; then the end checks of issue 16. The test HTTP service applies each `Idempotency-Key`’s effect',
    'once; a repeated key is a redelivery (counted), a step applied under two keys is a double effect.',
    '',
    '## Machine',
    ...machine,
    '',
    '## Verdict',
    '',
    '| check | holds |',
    '| --- | --- |',
    ...Object.entries(checks).map(([name, ok]) => `| ${name} | ${ok ? 'yes' : '**NO**'} |`),
    '',
    '## Figures',
    '',
    '| figure | value |',
    '| --- | --- |',
    `| runs started / accepted | ${result.runsStarted} / ${result.runsAccepted} |`,
    `| runs final | ${outcomes.final} (${pct(outcomes.final, result.runsAccepted)}) |`,
    `| runs stuck (not final) | ${outcomes.stuck} |`,
    `| wrong outcomes | ${outcomes.wrongOutcome} |`,
    `| duplicate effects: a step applied under two keys, earlier attempt not timed out | ${effects.duplicateEffects} |`,
    `| steps applied again by a new attempt after the earlier one timed out (its own key) | ${effects.reExecutedAfterTimeout} |`,
    `| lost effects | ${effects.lostEffects} |`,
    `| effect requests / idempotency keys / redeliveries absorbed by the key | ${effects.requests} / ${effects.keys} / ${effects.redeliveries} |`,
    `| faults: kill -9 / Kafka restart / PostgreSQL restart / executor pause | ${result.faultsByKind.kill} / ${result.faultsByKind['kafka-restart']} / ${result.faultsByKind['postgres-restart']} / ${result.faultsByKind['executor-pause']} |`,
    `| instances that exited by themselves | ${result.unexpectedExits.length} |`,
    `| kill → next completed run, p50 / max (${recovery.kills} kills more than 5 s from a broker/database outage) | ${ms(recovery.p50Ms)} / ${ms(recovery.maxMs)} |`,
    `| kill → next completed run, max, for the ${recovery.killsDuringOutages} kills within 5 s of an outage | ${ms(recovery.duringOutagesMaxMs)} |`,
    `| runs finished per second, calm (${throughput.calmSeconds.toFixed(0)} s) / under faults (${throughput.faultSeconds.toFixed(0)} s) | ${rate(throughput.calmPerSecond)} / ${rate(throughput.faultsPerSecond)} |`,
    `| gateway calls retried (instance down or 5xx) | ${result.apiRetries} |`,
    `| schedule fires / nominal times / duplicates / gaps / reported missed | ${schedule.fires} / ${schedule.nominalTimes} / ${schedule.duplicateFires} / ${schedule.gaps} / ${schedule.reportedMissed} |`,
    `| read model rows differing from a rebuild | ${Object.values(readModel.differingRows).reduce((a, b) => a + b, 0)} |`,
    `| public events received / re-published / runs incomplete / out of order | ${publicEvents.received} / ${publicEvents.republished} / ${publicEvents.runsIncomplete} / ${publicEvents.runsOutOfOrder} |`,
    `| consumer groups / messages behind | ${lag.groups} / ${lag.lag} |`,
    `| messages dead-lettered | ${result.deadLetters.count} |`,
    `| timers of finished runs / dispatches not relayed / advisory locks after stop | ${leftovers.timersOfFinishedRuns} / ${leftovers.dispatchesNotRelayed} / ${result.locksHeld} |`,
    `| wall time | ${result.durationS.toFixed(0)} s |`,
    '',
    '## Runs by kind',
    '',
    Object.entries(result.kinds)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(' · '),
    '',
    '## Faults',
    '',
    ...result.faults.map(
      (fault) =>
        `- ${new Date(fault.at).toISOString().slice(11, 23)} ${fault.kind} ${fault.target} (away ${fault.outageMs} ms)` +
        (fault.kind === 'kill'
          ? `; next completed run after ${ms(recovery.perKill.get(fault.at) ?? Number.NaN)}`
          : ''),
    ),
    ...result.unexpectedExits.map(
      (exit) =>
        `- ${new Date(exit.at).toISOString().slice(11, 23)} ${exit.instance} exited by itself (${exit.code})`,
    ),
  ];
  const problems = [
    ...outcomes.examples,
    ...effects.examples,
    ...readModel.examples,
    ...publicEvents.examples,
    ...lag.lagging,
    ...result.deadLetters.examples,
    ...leftovers.examples,
  ];
  if (problems.length) lines.push('', '## Problems seen', '', ...problems.map((problem) => `- ${problem}`));
  lines.push(
    '',
    `Settings: ${result.options.runs} runs at ${result.options.startsPerSecond}/s, ${Math.round(result.options.calmShare * 100)} % before the first fault, a kill every ${result.options.faults.killEveryMs.join('–')} ms, restarted after ${result.options.faults.restartAfterMs.join('–')} ms, executor paused ${result.options.faults.pauseMs} ms.`,
    '',
  );
  return lines.join('\n');
}

/** The report's figures as one flat object (names as keys, numbers as values), for scripts. */
export function figuresOf(result: ChaosResult): Record<string, number> {
  const { outcomes, effects, schedule, readModel, publicEvents, lag, leftovers, recovery, throughput } =
    result;
  return {
    runsStarted: result.runsStarted,
    runsAccepted: result.runsAccepted,
    runsFinal: outcomes.final,
    finalPercent: result.runsAccepted ? (outcomes.final / result.runsAccepted) * 100 : 0,
    stuck: outcomes.stuck,
    wrongOutcomes: outcomes.wrongOutcome,
    duplicateStarts: outcomes.duplicateStarts,
    duplicateEffects: effects.duplicateEffects,
    reExecutedAfterTimeout: effects.reExecutedAfterTimeout,
    lostEffects: effects.lostEffects,
    redeliveries: effects.redeliveries,
    effectRequests: effects.requests,
    'faults.kill': result.faultsByKind.kill ?? 0,
    'faults.kafkaRestart': result.faultsByKind['kafka-restart'] ?? 0,
    'faults.postgresRestart': result.faultsByKind['postgres-restart'] ?? 0,
    'faults.executorPause': result.faultsByKind['executor-pause'] ?? 0,
    unexpectedExits: result.unexpectedExits.length,
    'recovery.p50Ms': recovery.p50Ms,
    'recovery.maxMs': recovery.maxMs,
    'recovery.killsDuringOutages': recovery.killsDuringOutages,
    'recovery.duringOutagesMaxMs': recovery.duringOutagesMaxMs,
    'throughput.calmPerSecond': throughput.calmPerSecond,
    'throughput.faultsPerSecond': throughput.faultsPerSecond,
    'schedule.fires': schedule.fires,
    'schedule.duplicateFires': schedule.duplicateFires,
    'schedule.gaps': schedule.gaps,
    'schedule.reportedMissed': schedule.reportedMissed,
    'readModel.statusMismatches': readModel.statusMismatches,
    'readModel.rowsDifferingFromRebuild': Object.values(readModel.differingRows).reduce((a, b) => a + b, 0),
    'publicEvents.runsIncomplete': publicEvents.runsIncomplete,
    'publicEvents.runsOutOfOrder': publicEvents.runsOutOfOrder,
    'publicEvents.republished': publicEvents.republished,
    consumerLag: lag.lag,
    deadLetters: result.deadLetters.count,
    timersOfFinishedRuns: leftovers.timersOfFinishedRuns,
    dispatchesNotRelayed: leftovers.dispatchesNotRelayed,
    advisoryLocksHeld: result.locksHeld,
    durationS: result.durationS,
  };
}
