import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError } from '@spark/contracts';
import { ProblemException } from './problem';

/** class-validator errors as field errors with JSONPaths into the body (`$.labels`, `$.steps[0].id`). */
export function fieldErrors(errors: ValidationError[], parent = '$'): FieldError[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...fieldErrors(error.children ?? [], path)];
  });
}

/** Request bodies, queries and parameters: unknown fields refused, types converted, every problem named. */
export const requestValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const problems = fieldErrors(errors);
      return ProblemException.badRequest(
        `The request is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
        problems,
      );
    },
  });
