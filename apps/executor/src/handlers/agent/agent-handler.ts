import type { TaskDispatch } from '@spark/contracts';
import type { SourceResolver } from '../../sources';
import { ConfigFields } from '../config-fields';
import { messageText, type OutboundHttp, sourceOf, statusFailure, urlUnder } from '../outbound';
import { TaskExecutionError } from '../task-execution-error';
import type { TaskContext, TaskHandler } from '../task-handler';

/** The origin automagik-spark reports to the agents it runs; the agents API files sessions by it. */
export const DEFAULT_SESSION_ORIGIN = 'automagik-spark';

/**
 * Runs an AutoMagik agent: `POST {base}/api/v1/agent/{agent}/run` with `x-api-key` from the source.
 * Config: `source`, `agent`, `message` (else the step's input), `sessionName` (`spark-<runId>`),
 * `userId` (left out when not set), `sessionOrigin`, `timeoutMs`. Output: the agent's JSON answer.
 */
export class AgentHandler implements TaskHandler {
  readonly name = 'agent';

  constructor(
    private readonly http: OutboundHttp,
    private readonly sources: SourceResolver,
  ) {}

  async execute(dispatch: TaskDispatch, context: TaskContext): Promise<unknown> {
    const fields = new ConfigFields(this.name, dispatch.config);
    const agent = fields.requiredString('agent');
    const messageContent = messageText(fields.optionalString('message'), dispatch.input);
    if (messageContent === undefined) {
      throw TaskExecutionError.nonRetryable('INVALID_INPUT', 'agent step: no config.message and no input');
    }
    const userId = fields.raw('userId');
    if (userId !== undefined && typeof userId !== 'string' && typeof userId !== 'number') {
      throw fields.invalid('userId', 'a string or a number');
    }
    const source = await sourceOf(fields, this.sources);
    const body = {
      message_content: messageContent,
      session_name: fields.optionalString('sessionName') ?? `spark-${dispatch.runId}`,
      ...(userId === undefined ? {} : { user_id: userId }),
      session_origin: fields.optionalString('sessionOrigin') ?? DEFAULT_SESSION_ORIGIN,
    };
    const response = await this.http.send(
      {
        method: 'POST',
        url: urlUnder(source.baseUrl, `/api/v1/agent/${encodeURIComponent(agent)}/run`),
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'idempotency-key': context.idempotencyKey,
          ...(source.apiKey ? { 'x-api-key': source.apiKey } : {}),
        },
        body: JSON.stringify(body),
        timeoutMs: fields.optionalNumber('timeoutMs', { min: 1 }),
      },
      context.signal,
    );
    if (response.status < 200 || response.status > 299) {
      throw statusFailure(response.status, `agent ${agent} answered ${response.status}`, response.body);
    }
    return response.body;
  }
}
