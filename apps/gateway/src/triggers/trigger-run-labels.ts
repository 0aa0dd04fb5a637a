/** The label every run started by a trigger carries: find a trigger's runs with `label=spark-trigger=<id>`. */
export const TRIGGER_LABEL = 'spark-trigger';

export const triggerRunLabels = (triggerId: string): Record<string, string> => ({
  [TRIGGER_LABEL]: triggerId,
});
