import { PROBLEM_TYPES } from '@spark/contracts';
import { type SecretBox } from '@spark/service-kit';
import { ProblemException } from '../problems/problem';

export { type SealedSecret, SecretBox } from '@spark/service-kit';

/** The box, or a 503 saying what cannot be done while the gateway has no SPARK_SECRETS_KEY. */
export function requireSecretBox(box: SecretBox | undefined, what: string): SecretBox {
  if (!box)
    throw new ProblemException({
      type: PROBLEM_TYPES.unavailable,
      title: 'Service unavailable',
      status: 503,
      detail: `${what}: the gateway has no SPARK_SECRETS_KEY`,
    });
  return box;
}

/** A 503 while the gateway has no SPARK_EXECUTOR_PUBLIC_KEY to seal values for the executors with. */
export function requireExecutorSealing(canSeal: boolean, what: string): void {
  if (!canSeal)
    throw new ProblemException({
      type: PROBLEM_TYPES.unavailable,
      title: 'Service unavailable',
      status: 503,
      detail: `${what}: the gateway has no SPARK_EXECUTOR_PUBLIC_KEY to seal them for the executors`,
    });
}
