import { CircuitBreakers } from '../../runtime';
import { EnvironmentSourceResolver } from '../../sources';
import { aContext, aDispatch, json, RecordingHttpServer } from '../../test-support';
import { OutboundHttp } from '../outbound';
import { LangflowHandler } from './langflow-handler';

const LANGFLOW_ANSWER = {
  session_id: 'run-lf',
  outputs: [
    {
      inputs: { input_value: 'hello' },
      outputs: [{ results: { message: { text: 'Hi! How can I help?' } } }],
    },
  ],
};

// A local server that speaks LangFlow's run API: POST /api/v1/run/{flow_id}?stream=false.
describe('langflow handler against a LangFlow-speaking server', () => {
  const langflow = new RecordingHttpServer((request, response) =>
    request.headers['x-api-key'] === 'lf-secret'
      ? json(response, 200, LANGFLOW_ANSWER)
      : json(response, 403, { detail: 'bad key' }),
  );
  const circuits = new CircuitBreakers();
  let handler: LangflowHandler;

  beforeAll(async () => {
    const baseUrl = await langflow.start();
    const sources = new EnvironmentSourceResolver({
      SPARK_SOURCE_LANGFLOW_LOCAL_URL: `${baseUrl}/`,
      SPARK_SOURCE_LANGFLOW_LOCAL_API_KEY: 'lf-secret',
      SPARK_SOURCE_WRONG_KEY_URL: baseUrl,
      SPARK_SOURCE_WRONG_KEY_API_KEY: 'nope',
    });
    handler = new LangflowHandler(new OutboundHttp(circuits), sources);
  });
  afterAll(async () => {
    circuits.shutdown();
    await langflow.stop();
  });

  it('sends exactly the request automagik-spark sends and returns the answer with its chat text', async () => {
    const dispatch = aDispatch({
      runId: 'run-lf',
      stepId: 'ask',
      attempt: 2,
      handler: 'langflow',
      config: { source: 'langflow-local', flowId: 'flow 42', tweaks: { 'ChatInput-1': { sender: 'User' } } },
      input: 'hello',
    });
    const output = await handler.execute(dispatch, aContext(dispatch));

    expect(langflow.requests).toHaveLength(1);
    const request = langflow.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/run/flow%2042');
    expect(request.query).toEqual({ stream: 'false' });
    expect(request.headers['x-api-key']).toBe('lf-secret');
    expect(request.headers['idempotency-key']).toBe('run-lf:ask:2');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      input_value: 'hello',
      input_type: 'chat',
      output_type: 'chat',
      tweaks: { 'ChatInput-1': { sender: 'User' } },
      session_id: 'run-lf',
    });
    expect(output).toEqual({ response: LANGFLOW_ANSWER, text: 'Hi! How can I help?' });
  });

  it('takes input_value from config, and types and session from config', async () => {
    const dispatch = aDispatch({
      handler: 'langflow',
      config: {
        source: 'langflow-local',
        flowId: 'f',
        inputValue: 'from config',
        inputType: 'text',
        outputType: 'text',
        sessionId: 's-1',
      },
      input: { ignored: true },
    });
    await handler.execute(dispatch, aContext(dispatch));
    expect(JSON.parse(langflow.requests.at(-1)!.body)).toEqual({
      input_value: 'from config',
      input_type: 'text',
      output_type: 'text',
      tweaks: {},
      session_id: 's-1',
    });
  });

  it('fails non-retryably on a rejected key and on an unknown source, without revealing the key', async () => {
    const wrongKey = aDispatch({
      handler: 'langflow',
      config: { source: 'wrong-key', flowId: 'f' },
      input: 'x',
    });
    const error = await handler.execute(wrongKey, aContext(wrongKey)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_403', classification: 'non_retryable' });
    expect(JSON.stringify(error)).not.toContain('nope');

    const unknown = aDispatch({
      handler: 'langflow',
      config: { source: 'missing', flowId: 'f' },
      input: 'x',
    });
    await expect(handler.execute(unknown, aContext(unknown))).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
    });
  });
});
