import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ReadModelQueries } from '@spark/read-model';
import { DomainError, IllegalStateError, NotFoundError, runStatusOfName } from '@spark/workflow-domain';
import { RequireScope } from '../auth/scopes';
import { ProblemException } from '../problems/problem';
import { ApiProblems } from '../problems/problem.dto';
import {
  BULK_MAX_RUNS,
  BulkCancelRunsRequestDto,
  type BulkRetryRunsRequestDto,
  BulkRetryRunsRequestDto as BulkRetryBody,
  BulkRunsResultDto,
} from './bulk-runs.dto';
import { RunService } from './run-service';

/** The body names the runs with exactly one of its two ways. */
const ExactlyOneWay = (dto: new () => unknown) =>
  ApiBody({
    schema: {
      allOf: [{ $ref: getSchemaPath(dto) }],
      oneOf: [{ required: ['runIds'] }, { required: ['filter'] }],
    },
  });

/** Commands sent at once: enough to be quick, few enough not to crowd the producer. */
const PARALLEL = 8;

/**
 * Cancel or retry many runs at once, named or matched by the run list's filter (issue 18: the console's
 * bulk actions, and the CLI's). Each run gets the same command as its own endpoint; runs it does not
 * apply to are reported as skipped, not failed.
 */
@ApiTags('runs')
@ApiExtraModels(BulkCancelRunsRequestDto, BulkRetryBody)
@Controller('api/v1/runs')
export class BulkRunsController {
  constructor(
    private readonly runs: RunService,
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
  ) {}

  @Post('bulk-cancel')
  @HttpCode(200)
  @RequireScope('write')
  @ApiOperation({
    operationId: 'bulkCancelRuns',
    summary: 'Cancel many runs: by id, or every run a filter matches',
    description: `At most ${BULK_MAX_RUNS} runs a request. Finished runs are skipped (RUN_FINISHED).`,
  })
  @ExactlyOneWay(BulkCancelRunsRequestDto)
  @ApiOkResponse({ type: BulkRunsResultDto })
  @ApiProblems(400)
  async cancel(@Body() body: BulkCancelRunsRequestDto): Promise<BulkRunsResultDto> {
    return this.each(body, (runId) => this.runs.cancel(runId, body.reason));
  }

  @Post('bulk-retry')
  @HttpCode(200)
  @RequireScope('write')
  @ApiOperation({
    operationId: 'bulkRetryRuns',
    summary: 'Retry many failed runs from where they failed: by id, or every run a filter matches',
    description: `At most ${BULK_MAX_RUNS} runs a request. Runs that did not fail are skipped (RUN_NOT_FAILED).`,
  })
  @ExactlyOneWay(BulkRetryBody)
  @ApiOkResponse({ type: BulkRunsResultDto })
  @ApiProblems(400)
  async retry(@Body() body: BulkRetryBody): Promise<BulkRunsResultDto> {
    return this.each(body, (runId) => this.runs.retry(runId, body.reason));
  }

  private async each(
    body: BulkRetryRunsRequestDto,
    act: (runId: string) => Promise<void>,
  ): Promise<BulkRunsResultDto> {
    const { runIds, truncated } = await this.select(body);
    const accepted: string[] = [];
    const skipped: BulkRunsResultDto['skipped'] = [];
    for (let i = 0; i < runIds.length; i += PARALLEL)
      await Promise.all(
        runIds.slice(i, i + PARALLEL).map(async (runId) => {
          try {
            await act(runId);
            accepted.push(runId);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            const reason =
              error instanceof IllegalStateError
                ? error.reason
                : error instanceof NotFoundError
                  ? 'RUN_NOT_FOUND'
                  : error.code;
            skipped.push({ runId, reason, detail: error.message });
          }
        }),
      );
    const order = new Map(runIds.map((runId, index) => [runId, index]));
    accepted.sort((a, b) => order.get(a)! - order.get(b)!);
    skipped.sort((a, b) => order.get(a.runId)! - order.get(b.runId)!);
    return { matched: runIds.length, accepted, skipped, truncated };
  }

  private async select(body: BulkRetryRunsRequestDto): Promise<{ runIds: string[]; truncated: boolean }> {
    if ((body.runIds === undefined) === (body.filter === undefined))
      throw ProblemException.badRequest('Name the runs with exactly one of "runIds" and "filter"', [
        { path: body.runIds ? 'filter' : 'runIds', message: 'exactly one of runIds and filter is required' },
      ]);
    if (body.runIds)
      return { runIds: [...new Set(body.runIds.map((id) => id.toLowerCase()))], truncated: false };
    const { status, ...filter } = body.filter!;
    const runIds: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.queries.listRuns({
        ...filter,
        ...(status ? { status: runStatusOfName(status)! } : {}),
        limit: Math.min(500, BULK_MAX_RUNS + 1 - runIds.length),
        ...(cursor ? { cursor } : {}),
      });
      runIds.push(...page.items.map((run) => run.id));
      cursor = page.nextCursor;
    } while (cursor && runIds.length <= BULK_MAX_RUNS);
    return { runIds: runIds.slice(0, BULK_MAX_RUNS), truncated: runIds.length > BULK_MAX_RUNS };
  }
}
