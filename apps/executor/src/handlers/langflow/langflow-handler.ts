import type { TaskDispatch } from '@spark/contracts';
import type { SourceResolver } from '../../sources';
import { ConfigFields } from '../config-fields';
import { messageText, type OutboundHttp, sourceOf, statusFailure, urlUnder } from '../outbound';
import { TaskExecutionError } from '../task-execution-error';
import type { TaskContext, TaskHandler } from '../task-handler';

export interface LangflowOutput {
  /** LangFlow's answer as it came. */
  response: unknown;
  /** outputs[0].outputs[0].results.message.text, when the flow ends in a chat output. */
  text?: string;
}

/**
 * Runs a LangFlow flow the way automagik-spark does: `POST {base}/api/v1/run/{flowId}?stream=false`
 * with `x-api-key` from the source. Config: `source`, `flowId`, `inputValue` (else the step's input),
 * `inputType` ("chat"), `outputType` ("chat"), `tweaks` ({}), `sessionId` (the run id), `timeoutMs`.
 */
export class LangflowHandler implements TaskHandler {
  readonly name = 'langflow';

  constructor(
    private readonly http: OutboundHttp,
    private readonly sources: SourceResolver,
  ) {}

  async execute(dispatch: TaskDispatch, context: TaskContext): Promise<LangflowOutput> {
    const fields = new ConfigFields(this.name, dispatch.config);
    const flowId = fields.requiredString('flowId');
    const inputValue = messageText(fields.optionalString('inputValue'), dispatch.input);
    if (inputValue === undefined) {
      throw TaskExecutionError.nonRetryable(
        'INVALID_INPUT',
        'langflow step: no config.inputValue and no input',
      );
    }
    const source = await sourceOf(fields, this.sources);
    const url = urlUnder(source.baseUrl, `/api/v1/run/${encodeURIComponent(flowId)}`);
    url.searchParams.set('stream', 'false');
    const body = {
      input_value: inputValue,
      input_type: fields.optionalString('inputType') ?? 'chat',
      output_type: fields.optionalString('outputType') ?? 'chat',
      tweaks: fields.optionalObject('tweaks') ?? {},
      session_id: fields.optionalString('sessionId') ?? dispatch.runId,
    };
    const response = await this.http.send(
      {
        method: 'POST',
        url,
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
      throw statusFailure(
        response.status,
        `LangFlow flow ${flowId} answered ${response.status}`,
        response.body,
      );
    }
    const text = chatText(response.body);
    return text === undefined ? { response: response.body } : { response: response.body, text };
  }
}

function chatText(response: unknown): string | undefined {
  const text = (response as LangflowRunResponse | undefined)?.outputs?.[0]?.outputs?.[0]?.results?.message
    ?.text;
  return typeof text === 'string' ? text : undefined;
}

interface LangflowRunResponse {
  outputs?: { outputs?: { results?: { message?: { text?: unknown } } }[] }[];
}
