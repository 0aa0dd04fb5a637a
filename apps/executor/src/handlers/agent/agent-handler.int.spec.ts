import { CircuitBreakers } from '../../runtime';
import { EnvironmentSourceResolver } from '../../sources';
import { aContext, aDispatch, json, RecordingHttpServer } from '../../test-support';
import { OutboundHttp } from '../outbound';
import { AgentHandler } from './agent-handler';

const AGENT_ANSWER = { message: 'The weather is fine.', session_id: 'a6c1', success: true, tool_calls: [] };

// A local server that speaks the AutoMagik agents API: POST /api/v1/agent/{name}/run.
describe('agent handler against an AutoMagik-agents-speaking server', () => {
  const agents = new RecordingHttpServer((request, response) =>
    request.path.startsWith('/api/v1/agent/') ? json(response, 200, AGENT_ANSWER) : json(response, 404, {}),
  );
  const circuits = new CircuitBreakers();
  let handler: AgentHandler;

  beforeAll(async () => {
    const baseUrl = await agents.start();
    const sources = new EnvironmentSourceResolver({
      SPARK_SOURCE_AGENTS_URL: `${baseUrl}/`,
      SPARK_SOURCE_AGENTS_API_KEY: 'agents-secret',
    });
    handler = new AgentHandler(new OutboundHttp(circuits), sources);
  });
  afterAll(async () => {
    circuits.shutdown();
    await agents.stop();
  });

  it('sends exactly the request automagik-spark sends and returns the answer', async () => {
    const dispatch = aDispatch({
      runId: 'run-ag',
      stepId: 'weather',
      handler: 'agent',
      config: { source: 'agents', agent: 'simple_agent', userId: 7 },
      input: 'How is the weather?',
    });
    const output = await handler.execute(dispatch, aContext(dispatch));

    const request = agents.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/agent/simple_agent/run');
    expect(request.query).toEqual({});
    expect(request.headers['x-api-key']).toBe('agents-secret');
    expect(request.headers['idempotency-key']).toBe('run-ag:weather:1');
    expect(JSON.parse(request.body)).toEqual({
      message_content: 'How is the weather?',
      session_name: 'spark-run-ag',
      user_id: 7,
      session_origin: 'automagik-spark',
    });
    expect(output).toEqual(AGENT_ANSWER);
  });

  it('sends a structured input as JSON text and leaves user_id out when not configured', async () => {
    const dispatch = aDispatch({
      handler: 'agent',
      config: { source: 'agents', agent: 'a', sessionName: 'mine' },
      input: { q: 1 },
    });
    await handler.execute(dispatch, aContext(dispatch));
    expect(JSON.parse(agents.requests.at(-1)!.body)).toEqual({
      message_content: '{"q":1}',
      session_name: 'mine',
      session_origin: 'automagik-spark',
    });
  });
});
