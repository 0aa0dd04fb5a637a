// kafkajs 2.2.4 (unmaintained, see docs/adr/0004) schedules a timer with a negative delay on every
// response under Node >= 22, which prints a TimeoutNegativeWarning each time (Node clamps it to 1 ms,
// as kafkajs intends). Drop that one warning; every other warning is printed as usual.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'TimeoutNegativeWarning' || warning?.name === 'TimeoutNegativeWarning') return;
  emitWarning(warning, ...rest);
};
