import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { type FieldError, PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@spark/contracts';
import { applyDecorators } from '@nestjs/common';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: '$.input.n' }) path!: string;
  @ApiProperty({ example: 'must be number' }) message!: string;
}

export class ProblemDto implements ProblemDetails {
  @ApiProperty({ example: 'https://spark.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Validation failed' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ example: '/api/v1/runs' }) instance!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ example: 'RUN_FINISHED' }) reason?: string;
}

/** One problem+json answer of a route (ApiProblems documents the usual set). */
export const ApiProblem = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } } },
  });

/** The problem answers a route can give, documented once per route. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiProblem(status, PROBLEM_DESCRIPTIONS[status] ?? 'Problem')),
    ApiProblem(401, PROBLEM_DESCRIPTIONS[401]!),
    ApiProblem(403, PROBLEM_DESCRIPTIONS[403]!),
  );

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included)',
  401: 'No API key, or not a valid one',
  403: 'The API key lacks the scope',
  404: 'Not found',
  409: 'Not allowed in the current state, or contradicts what is recorded',
  413: 'The body is larger than the limit',
  415: 'Unsupported content type',
  422: 'Well-formed, but invalid (field paths in errors)',
};
