import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { GatewayModule } from '../app.module';
import { OpenApiDocument } from './openapi-document';

const GENERATED = path.join(__dirname, '../../../../libs/client/src/generated/spark-api.ts');
const HEADER =
  "// Generated from the gateway's OpenAPI document by openapi-typescript: do not edit.\n" +
  '// Regenerate: UPDATE_API_TYPES=1 npm run test:unit -- apps/gateway/src/openapi\n\n';

// The document is built from a preview of the module graph: no provider runs, nothing connects.
describe('the OpenAPI document', () => {
  let document: Awaited<ReturnType<OpenApiDocument['build']>>;

  beforeAll(async () => {
    document = await new OpenApiDocument().build(GatewayModule, '0.0.0-test');
  });

  it('is OpenAPI 3 with bearer API keys required by default', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ apiKey: [] }]);
  });

  it('documents every operation of the REST API under /api/v1, health (public) but not the docs', () => {
    const operations = Object.entries(document.paths).flatMap(([route, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>).map(
        ([method, operation]) => `${method.toUpperCase()} ${route} ${operation.operationId}`,
      ),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /api/v1/workflows registerWorkflow',
        'POST /api/v1/workflows/validate validateWorkflow',
        'GET /api/v1/workflows/{name} getWorkflow',
        'GET /api/v1/workflows/{name}/versions listWorkflowVersions',
        'GET /api/v1/workflows/{name}/versions/{version} getWorkflowVersion',
        'POST /api/v1/workflows/{name}/runs startWorkflowRun',
        'POST /api/v1/runs startRun',
        'POST /api/v1/runs/bulk-cancel bulkCancelRuns',
        'POST /api/v1/runs/bulk-retry bulkRetryRuns',
        'GET /api/v1/runs listRuns',
        'GET /api/v1/workflows listWorkflows',
        'GET /api/v1/runs/{runId} getRun',
        'POST /api/v1/runs/{runId}/cancel cancelRun',
        'POST /api/v1/runs/{runId}/signals signalRun',
        'POST /api/v1/runs/{runId}/retry retryRun',
        'GET /api/v1/runs/{runId}/events watchRun',
        'POST /api/v1/sources createSource',
        'GET /api/v1/sources listSources',
        'GET /api/v1/sources/{name} getSource',
        'GET /api/v1/sources/{name}/flows listSourceFlows',
        'GET /api/v1/system getSystemStatus',
        'POST /api/v1/workflows/import-langflow importLangflowFlow',
        'PATCH /api/v1/sources/{name} updateSource',
        'DELETE /api/v1/sources/{name} deleteSource',
        'POST /api/v1/secrets createSecret',
        'GET /api/v1/secrets listSecrets',
        'GET /api/v1/secrets/{name} getSecret',
        'PATCH /api/v1/secrets/{name} updateSecret',
        'DELETE /api/v1/secrets/{name} deleteSecret',
        'POST /api/v1/api-keys createApiKey',
        'GET /api/v1/api-keys listApiKeys',
        'DELETE /api/v1/api-keys/{id} revokeApiKey',
        'POST /api/v1/triggers createTrigger',
        'GET /api/v1/triggers listTriggers',
        'GET /api/v1/triggers/{id} getTrigger',
        'DELETE /api/v1/triggers/{id} deleteTrigger',
        'POST /api/v1/triggers/{id}/pause pauseTrigger',
        'POST /api/v1/triggers/{id}/resume resumeTrigger',
        'POST /api/v1/triggers/{id}/rotate-secret rotateTriggerSecret',
        'POST /api/v1/hooks/{triggerId} deliverWebhook',
        'POST /api/v1/schedules createSchedule',
        'GET /api/v1/schedules listSchedules',
        'GET /api/v1/schedules/{scheduleId} getSchedule',
        'PUT /api/v1/schedules/{scheduleId} updateSchedule',
        'DELETE /api/v1/schedules/{scheduleId} deleteSchedule',
        'POST /api/v1/schedules/{scheduleId}/pause pauseSchedule',
        'POST /api/v1/schedules/{scheduleId}/resume resumeSchedule',
        'POST /api/v1/schedules/{scheduleId}/trigger triggerSchedule',
        'POST /api/v1/schedules/{scheduleId}/backfill backfillSchedule',
        'GET /api/v1/schedules/{scheduleId}/fire-times previewSchedule',
        'POST /api/v1/schedules/preview previewScheduleDefinition',
        'GET /health/live healthLive',
        'GET /health/ready healthReady',
      ].sort(),
    );
    expect(document.paths['/health/ready']!.get!.security).toEqual([]);
    expect(document.paths['/api/v1/hooks/{triggerId}']!.post!.security).toEqual([]);
  });

  it('describes errors as problem+json', () => {
    const start = document.paths['/api/v1/runs']!.post!;
    expect(Object.keys(start.responses).sort()).toEqual(['202', '400', '401', '403', '404', '413', '422']);
    expect(document.components?.schemas?.ProblemDto).toBeDefined();
  });

  it('states what the server enforces: id formats, patterns, integers, minItems, closed request bodies', () => {
    type Parameter = { name: string; in: string; schema: Record<string, unknown> };
    const parameter = (route: string, method: string, name: string) =>
      (
        (document.paths[route] as Record<string, { parameters: Parameter[] }>)[method]!.parameters.find(
          (entry) => entry.name === name,
        ) as Parameter
      ).schema;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema objects are read by path
    const schemas = document.components!.schemas as Record<string, Record<string, any>>;
    expect(parameter('/api/v1/api-keys/{id}', 'delete', 'id')).toMatchObject({ format: 'uuid' });
    expect(parameter('/api/v1/triggers/{id}', 'get', 'id')).toMatchObject({ format: 'uuid' });
    expect(parameter('/api/v1/hooks/{triggerId}', 'post', 'triggerId')).toMatchObject({ format: 'uuid' });
    expect(parameter('/api/v1/runs/{runId}', 'get', 'runId')).toMatchObject({ pattern: '^[\\w.:-]{1,200}$' });
    expect(parameter('/api/v1/workflows/{name}', 'get', 'name')).toMatchObject({
      pattern: '^[a-z0-9][a-z0-9._-]{0,127}$',
    });
    expect(parameter('/api/v1/schedules/{scheduleId}/fire-times', 'get', 'count')).toMatchObject({
      type: 'integer',
    });
    expect(parameter('/api/v1/runs', 'get', 'limit')).toMatchObject({ type: 'integer' });
    expect(parameter('/api/v1/workflows/{name}/versions/{version}', 'get', 'version')).toMatchObject({
      type: 'integer',
      minimum: 1,
    });
    expect(parameter('/api/v1/runs', 'post', 'Idempotency-Key')).toMatchObject({ pattern: '^[!-~]{1,200}$' });
    expect(schemas.SignalRunRequestDto!.properties.signalId).toMatchObject({ pattern: '^[\\w.:-]{1,200}$' });
    expect(schemas.CreateApiKeyRequestDto!.properties.scopes).toMatchObject({
      minItems: 1,
      uniqueItems: true,
    });
    expect(schemas.CreateSourceRequestDto!.required).toEqual(
      expect.arrayContaining(['name', 'kind', 'baseUrl']),
    );
    // The validation pipe refuses unknown fields; the document says so for every request DTO.
    for (const name of [
      'StartRunRequestDto',
      'CreateSourceRequestDto',
      'ScheduleWorkflowDto',
      'CreateApiKeyRequestDto',
    ])
      expect(schemas[name]!.additionalProperties).toBe(false);
    // Responses stay open.
    expect(schemas.RunDto!.additionalProperties).toBeUndefined();
  });

  it('matches the typed client of libs/client (used by the CLI and the e2e tests)', async () => {
    const raw = HEADER + astToString(await openapiTS(document as never));
    const types = await format(raw, { ...(await resolveConfig(GENERATED)), filepath: GENERATED });
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(GENERATED, types);
    expect(readFileSync(GENERATED, 'utf8')).toBe(types);
  });
});
