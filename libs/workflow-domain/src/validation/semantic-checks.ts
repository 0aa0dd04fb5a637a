import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { externalWorkerName, taskQueueOf } from '@spark/contracts';

import { type BranchMembership, DEFAULT_BRANCH } from '../definition/graph';
import { type ValidationProblem } from '../errors';
import { checkExpressionSyntax, templateExpressionOf, templateExpressions } from '../expressions';
import { isDuration, isInstant, parseDuration } from '../time';

const MAX_DURATION_MS = 366 * 86_400_000;

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

interface IndexedStep {
  index: number;
  path: string;
  id: string;
  raw: Raw;
}

/**
 * Problems the schema cannot see: references, graph shape, expressions, duration values. Written defensively
 * so it can run on a definition that also has structural problems, and report everything at once.
 */
export const semanticProblems = (value: unknown): ValidationProblem[] => {
  if (!isRecord(value)) return [];
  const problems: ValidationProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });

  const steps: IndexedStep[] = [];
  const firstIndexById = new Map<string, number>();
  (Array.isArray(value.steps) ? value.steps : []).forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.id !== 'string') return;
    const path = `$.steps[${index}]`;
    const first = firstIndexById.get(raw.id);
    if (first !== undefined) {
      report(`${path}.id`, `duplicate step id "${raw.id}" (first used at $.steps[${first}])`);
      return;
    }
    firstIndexById.set(raw.id, index);
    steps.push({ index, path, id: raw.id, raw });
  });
  const known = new Set(steps.map((s) => s.id));

  const memberships = checkSwitches(steps, known, report);
  const dependencies = new Map<string, string[]>();
  for (const step of steps) {
    const needs = stringsOf(step.raw.needs);
    needs.forEach((need, i) => {
      if (need === step.id) report(`${step.path}.needs[${i}]`, 'a step cannot need itself');
      else if (!known.has(need)) report(`${step.path}.needs[${i}]`, `unknown step "${need}"`);
    });
    const deps = needs.filter((need) => known.has(need) && need !== step.id);
    const membership = memberships.get(step.id);
    if (membership && !deps.includes(membership.switchId)) deps.push(membership.switchId);
    dependencies.set(step.id, deps);
  }

  const inCycle = checkCycles(steps, dependencies, report);
  checkReachability(steps, dependencies, memberships, inCycle, report);
  for (const step of steps) checkStep(step, report);
  checkWorkflowLevel(value, report);
  return problems;
};

type Report = (path: string, message: string) => void;

const checkSwitches = (
  steps: IndexedStep[],
  known: Set<string>,
  report: Report,
): Map<string, BranchMembership> => {
  const memberships = new Map<string, BranchMembership & { path: string }>();
  for (const step of steps) {
    if (step.raw.type !== 'switch') continue;
    const branches = Array.isArray(step.raw.branches) ? step.raw.branches : [];
    const targets: { branch: string; list: unknown; path: string }[] = branches
      .filter(isRecord)
      .map((branch, i) => ({
        branch: String(branch.name),
        list: branch.steps,
        path: `${step.path}.branches[${i}].steps`,
      }));
    const names = new Set<string>();
    branches.filter(isRecord).forEach((branch, i) => {
      if (branch.name === DEFAULT_BRANCH)
        report(`${step.path}.branches[${i}].name`, `"${DEFAULT_BRANCH}" is reserved for the default branch`);
      if (names.has(String(branch.name)))
        report(`${step.path}.branches[${i}].name`, `duplicate branch name "${String(branch.name)}"`);
      names.add(String(branch.name));
    });
    if (step.raw.default !== undefined)
      targets.push({ branch: DEFAULT_BRANCH, list: step.raw.default, path: `${step.path}.default` });
    for (const { branch, list, path } of targets) {
      stringsOf(list).forEach((target, i) => {
        const targetPath = `${path}[${i}]`;
        if (!known.has(target)) return report(targetPath, `unknown step "${target}"`);
        if (target === step.id) return report(targetPath, 'a switch cannot be its own branch');
        const existing = memberships.get(target);
        if (existing)
          return report(
            targetPath,
            `step "${target}" already belongs to branch "${existing.branch}" of switch "${existing.switchId}" (${existing.path})`,
          );
        memberships.set(target, { switchId: step.id, branch, path: targetPath });
      });
    }
  }
  return memberships;
};

/** Reports each elementary cycle once, in execution order: `a → b → c → a` means b needs a, c needs b, a needs c. */
const checkCycles = (
  steps: IndexedStep[],
  dependencies: Map<string, string[]>,
  report: Report,
): Set<string> => {
  const pathOf = new Map(steps.map((s) => [s.id, s.path]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const inCycle = new Set<string>();

  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of dependencies.get(id) ?? []) {
      if (state.get(dep) === 'visiting') {
        // The stack from `dep` to here is a chain of "needs"; reversed it reads in execution order.
        const cycle = stack.slice(stack.indexOf(dep)).reverse();
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = rotated.join('→');
        cycle.forEach((member) => inCycle.add(member));
        if (!seen.has(key)) {
          seen.add(key);
          report(`${pathOf.get(rotated[0]!)!}.needs`, `cycle: ${[...rotated, rotated[0]].join(' → ')}`);
        }
      } else if (!state.has(dep)) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const step of steps) if (!state.has(step.id)) visit(step.id);
  return inCycle;
};

type Requirements = Map<string, string> | 'never';

/**
 * Unreachable = can run in no execution at all. In a DAG every step is reachable except:
 * - a step whose `if` is the constant `false`;
 * - a step that, through `allSucceeded` joins, requires two different branches of one switch (only one is ever taken);
 * - an `allSucceeded` dependant of an unreachable step.
 * A `noneFailed` join is reachable whatever its needs did, so it does not inherit their requirements.
 */
const checkReachability = (
  steps: IndexedStep[],
  dependencies: Map<string, string[]>,
  memberships: Map<string, BranchMembership>,
  inCycle: Set<string>,
  report: Report,
): void => {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, Requirements>();
  const resolving = new Set<string>();
  const requirementsOf = (id: string): Requirements => {
    const cached = memo.get(id);
    if (cached) return cached;
    // A cycle is reported by checkCycles; its members and their dependants inherit no requirements from it,
    // and recursion stops there (memoising only after recursing would loop forever inside the cycle).
    if (inCycle.has(id) || resolving.has(id)) return new Map();
    resolving.add(id);
    const step = byId.get(id)!;
    const own = new Map<string, string>();
    const membership = memberships.get(id);
    if (membership) own.set(membership.switchId, membership.branch);
    let result: Requirements = own;
    if (typeof step.raw.if === 'string' && step.raw.if.trim() === 'false') result = 'never';
    else if (step.raw.join !== 'noneFailed') {
      for (const dep of dependencies.get(id) ?? []) {
        const inherited = requirementsOf(dep);
        if (inherited === 'never') {
          result = 'never';
          break;
        }
        for (const [switchId, branch] of inherited) {
          const mine = own.get(switchId);
          if (mine !== undefined && mine !== branch) {
            result = 'never';
            break;
          }
          own.set(switchId, branch);
        }
        if (result === 'never') break;
      }
    }
    resolving.delete(id);
    memo.set(id, result);
    return result;
  };
  for (const step of steps) {
    if (inCycle.has(step.id)) continue;
    if (requirementsOf(step.id) !== 'never') continue;
    const reason =
      typeof step.raw.if === 'string' && step.raw.if.trim() === 'false'
        ? 'its condition is always false'
        : 'it needs steps that can never all succeed (different branches of one switch, or an unreachable step); use "join": "noneFailed" to run after whichever finished';
    report(step.path, `unreachable step "${step.id}": ${reason}`);
  }
};

const expression = (value: unknown, path: string, report: Report): void => {
  if (typeof value !== 'string') return;
  const problem = checkExpressionSyntax(value);
  if (problem)
    report(
      path,
      `invalid JSONata expression: ${problem.message}${problem.position === undefined ? '' : ` (at character ${problem.position})`}`,
    );
};

const template = (value: unknown, path: string, report: Report): void => {
  for (const found of templateExpressions(value, path)) expression(found.expression, found.path, report);
};

const duration = (value: unknown, path: string, report: Report): number | undefined => {
  if (typeof value !== 'string' || !isDuration(value)) return undefined;
  const ms = parseDuration(value);
  if (ms <= 0) report(path, 'must be longer than zero');
  else if (ms > MAX_DURATION_MS) report(path, 'must be at most 366d');
  return ms;
};

/** Debounce and throttle (docs/adr/0122): keys that parse, periods above zero, maxWait not below period. */
const checkStartControl = (value: Raw, report: Report): void => {
  const { debounce, throttle } = value;
  if (isRecord(debounce)) {
    expression(debounce.key, '$.debounce.key', report);
    const period = duration(debounce.period, '$.debounce.period', report);
    const maxWait = duration(debounce.maxWait, '$.debounce.maxWait', report);
    if (period !== undefined && maxWait !== undefined && maxWait < period)
      report('$.debounce.maxWait', `must be at least the period (${String(debounce.period)})`);
  }
  if (isRecord(throttle)) {
    expression(throttle.key, '$.throttle.key', report);
    duration(throttle.period, '$.throttle.period', report);
  }
  if (isRecord(debounce) && isRecord(throttle))
    report('$.throttle', 'a workflow has either debounce or throttle, not both');
};

const TASK_LIKE = new Set(['task', 'map']);
const checkTimeouts = (raw: unknown, path: string, stepType: string, report: Report): void => {
  if (!isRecord(raw)) return;
  for (const kind of ['scheduleToStart', 'startToClose', 'heartbeat'])
    duration(raw[kind], `${path}.${kind}`, report);
  if (!TASK_LIKE.has(stepType)) {
    if (raw.scheduleToStart !== undefined)
      report(`${path}.scheduleToStart`, `does not apply to ${stepType} steps`);
    if (raw.heartbeat !== undefined) report(`${path}.heartbeat`, `does not apply to ${stepType} steps`);
  }
  if (stepType === 'wait' || stepType === 'switch' || stepType === 'signal') {
    if (raw.startToClose !== undefined)
      report(
        `${path}.startToClose`,
        `does not apply to ${stepType} steps${stepType === 'signal' ? ' (use signal.timeout)' : ''}`,
      );
  }
};

const checkRetry = (raw: unknown, path: string, report: Report): void => {
  if (!isRecord(raw)) return;
  const initial = duration(raw.initialInterval, `${path}.initialInterval`, report);
  const max = duration(raw.maxInterval, `${path}.maxInterval`, report);
  if (initial !== undefined && max !== undefined && max < initial)
    report(`${path}.maxInterval`, 'must not be shorter than initialInterval');
};

const checkTaskSpec = (raw: unknown, path: string, report: Report): void => {
  if (!isRecord(raw)) return;
  template(raw.input, `${path}.input`, report);
  template(raw.config, `${path}.config`, report);
};

const checkStep = (step: IndexedStep, report: Report): void => {
  const { raw, path } = step;
  const type = String(raw.type);
  expression(raw.if, `${path}.if`, report);
  checkTimeouts(raw.timeout, `${path}.timeout`, type, report);
  checkRetry(raw.retry, `${path}.retry`, report);
  if (['switch', 'wait', 'signal'].includes(type)) {
    if (raw.retry !== undefined) report(`${path}.retry`, `does not apply to ${type} steps`);
    if (raw.compensate !== undefined) report(`${path}.compensate`, `does not apply to ${type} steps`);
  }
  if (type !== 'task' && type !== 'map' && raw.queue !== undefined)
    report(`${path}.queue`, `does not apply to ${type} steps`);
  if (isRecord(raw.compensate)) {
    checkTaskSpec(raw.compensate, `${path}.compensate`, report);
    checkRetry(raw.compensate.retry, `${path}.compensate.retry`, report);
    checkTimeouts(raw.compensate.timeout, `${path}.compensate.timeout`, 'task', report);
  }
  const handler =
    type === 'task' ? raw.handler : type === 'map' && isRecord(raw.task) ? raw.task.handler : undefined;
  if (typeof handler === 'string' && externalWorkerName(handler) !== undefined && raw.queue !== undefined) {
    report(`${path}.queue`, `an ${handler} task runs on queue "${taskQueueOf(handler)}"; remove "queue"`);
  }
  if (isRecord(raw.rateLimit)) {
    // docs/adr/0123: the schema checks the limit (>= 1); the key must parse, the interval be above zero.
    expression(raw.rateLimit.key, `${path}.rateLimit.key`, report);
    duration(raw.rateLimit.per, `${path}.rateLimit.per`, report);
  }
  // docs/adr/0124, 0125: the schema checks the limit (>= 1); the key must parse. With a rateLimit on the
  // same step, the attempt takes its slot first and then its token.
  if (type === 'task' && isRecord(raw.concurrency))
    expression(raw.concurrency.key, `${path}.concurrency.key`, report);
  if (type === 'map' && isRecord(raw.concurrencyKey))
    expression(raw.concurrencyKey.key, `${path}.concurrencyKey.key`, report);
  switch (type) {
    case 'task':
      checkTaskSpec(raw, path, report);
      break;
    case 'map':
      expression(raw.items, `${path}.items`, report);
      checkTaskSpec(raw.task, `${path}.task`, report);
      break;
    case 'switch':
      (Array.isArray(raw.branches) ? raw.branches : []).forEach((branch, i) => {
        if (isRecord(branch)) expression(branch.when, `${path}.branches[${i}].when`, report);
      });
      break;
    case 'wait': {
      const hasDuration = raw.duration !== undefined;
      const hasUntil = raw.until !== undefined;
      if (hasDuration === hasUntil) report(path, 'a wait step needs exactly one of "duration" and "until"');
      duration(raw.duration, `${path}.duration`, report);
      if (typeof raw.until === 'string') {
        const untilExpression = templateExpressionOf(raw.until);
        if (untilExpression !== undefined) expression(untilExpression, `${path}.until`, report);
        else if (!isInstant(raw.until))
          report(
            `${path}.until`,
            'must be an ISO-8601 instant with a zone (e.g. "2026-03-29T02:30:00Z") or "=expression"',
          );
      }
      break;
    }
    case 'signal':
      if (isRecord(raw.signal)) duration(raw.signal.timeout, `${path}.signal.timeout`, report);
      break;
    case 'subworkflow':
      template(raw.input, `${path}.input`, report);
      break;
    default:
      break;
  }
};

const checkWorkflowLevel = (value: Raw, report: Report): void => {
  expression(value.output, '$.output', report);
  duration(value.timeout, '$.timeout', report);
  if (isRecord(value.concurrency)) expression(value.concurrency.key, '$.concurrency.key', report);
  checkStartControl(value, report);
  if (isRecord(value.inputSchema)) {
    try {
      const ajv = new Ajv({ strict: false });
      addFormats(ajv);
      ajv.compile(value.inputSchema);
    } catch (error) {
      report('$.inputSchema', `not a valid JSON Schema: ${(error as Error).message}`);
    }
  }
};
