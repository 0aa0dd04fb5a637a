import { FaultInjection } from './fault-injection';

describe('fault injection', () => {
  it('is off without SPARK_FAULT_INJECTION and names the known crash points for an unknown one', () => {
    expect(FaultInjection.fromEnv({})).toBeUndefined();
    expect(() => FaultInjection.fromEnv({ SPARK_FAULT_INJECTION: 'kill-sometime:1' })).toThrow(
      'known: kill-before-dispatch:<n>, kill-before-schedule-start:<n>, kill-after-schedule-start:<n>',
    );
  });

  it('counts only the publishes of its kind, and only on its side of the publish', () => {
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const faults = FaultInjection.fromEnv({ SPARK_FAULT_INJECTION: 'kill-after-schedule-start:2' })!;
      const scheduled = { type: 'StartRun', labels: { 'spark.schedule': 's1' } };
      faults.afterPublish('spark.commands', { type: 'StartRun' });
      faults.afterPublish('spark.tasks.default', scheduled);
      faults.beforePublish('spark.commands', scheduled);
      faults.afterPublish('spark.commands', scheduled);
      expect(kill).not.toHaveBeenCalled();
      faults.afterPublish('spark.commands', scheduled);
      expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
    } finally {
      kill.mockRestore();
      write.mockRestore();
    }
  });
});
