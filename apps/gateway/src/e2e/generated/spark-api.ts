// Generated from the gateway's OpenAPI document by openapi-typescript: do not edit.
// Regenerate: UPDATE_API_TYPES=1 npm run test:unit -- apps/gateway/src/openapi

export interface paths {
  '/api/v1/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Runs, newest first, with filters and cursor pagination (from the read model) */
    get: operations['listRuns'];
    put?: never;
    /**
     * Start a run
     * @description Answers 202 once the StartRun command is durable in Kafka; the run is PENDING until the scheduler starts it.
     */
    post: operations['startRun'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Registered workflows (from the read model) */
    get: operations['listWorkflows'];
    put?: never;
    /**
     * Register a workflow version
     * @description Versions are immutable: the same version with the same content is a no-op (200), with other content 409.
     */
    post: operations['registerWorkflow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/validate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Validate a definition without registering it
     * @description Answers 200 with valid=false and every problem (with its JSON path) when the definition is invalid.
     */
    post: operations['validateWorkflow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The latest version of a workflow */
    get: operations['getWorkflow'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{name}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of a workflow, oldest first */
    get: operations['listWorkflowVersions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{name}/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One version of a workflow */
    get: operations['getWorkflowVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{name}/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start a run of the named workflow */
    post: operations['startWorkflowRun'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/runs/{runId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A run with its steps and every attempt
     * @description Read from the run stream, so always current; PENDING right after a start, never 404.
     */
    get: operations['getRun'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/runs/{runId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a run (its steps are cancelled, compensations do not run) */
    post: operations['cancelRun'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/runs/{runId}/signals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a named signal to a run */
    post: operations['signalRun'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/runs/{runId}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry a failed run from where it failed (succeeded steps keep their outputs) */
    post: operations['retryRun'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/runs/{runId}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The run's events as Server-Sent Events
     * @description Each message: `id` = stream revision, `event` = event type, `data` = JSON {runId, revision, type, data, recordedAt}. Stored events first, then live ones; the stream ends after the run ends (RunCompleted, RunFailed, RunCancelled, RunTimedOut).
     */
    get: operations['watchRun'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every source, by name */
    get: operations['listSources'];
    put?: never;
    /** Register a source */
    post: operations['createSource'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sources/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One source */
    get: operations['getSource'];
    put?: never;
    post?: never;
    /** Remove a source */
    delete: operations['deleteSource'];
    options?: never;
    head?: never;
    /** Change a source (fields left out stay as they are) */
    patch: operations['updateSource'];
    trace?: never;
  };
  '/api/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Live API keys (never the keys themselves) */
    get: operations['listApiKeys'];
    put?: never;
    /** Create an API key (the key is returned once) */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['healthLive'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['healthReady'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    RunWorkflowRefDto: {
      name: string;
      version: number;
    };
    RunSummaryDto: {
      runId: string;
      workflow: components['schemas']['RunWorkflowRefDto'];
      /** @enum {string} */
      status: 'PENDING' | 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
      labels: {
        [key: string]: string;
      };
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      startedAt?: string;
      /** Format: date-time */
      finishedAt?: string;
    };
    RunPageDto: {
      items: components['schemas']['RunSummaryDto'][];
      /** @description Pass as cursor for the next page; absent on the last page */
      nextCursor?: string;
    };
    WorkflowSummaryDto: {
      name: string;
      latestVersion: number;
      versionCount: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    RegisteredWorkflowDto: {
      name: string;
      version: number;
      /** @description false when this exact version was registered before (no change) */
      created: boolean;
    };
    FieldErrorDto: {
      /** @example $.input.n */
      path: string;
      /** @example must be number */
      message: string;
    };
    ValidationResultDto: {
      valid: boolean;
      name?: string;
      version?: number;
      errors: components['schemas']['FieldErrorDto'][];
    };
    WorkflowVersionSummaryDto: {
      name: string;
      version: number;
      description?: string;
      steps: number;
    };
    ProblemDto: {
      /** @example https://spark.dev/problems/validation-failed */
      type: string;
      /** @example Validation failed */
      title: string;
      /** @example 422 */
      status: number;
      detail: string;
      /** @example /api/v1/runs */
      instance: string;
      errors?: components['schemas']['FieldErrorDto'][];
      /** @example RUN_FINISHED */
      reason?: string;
    };
    StartRunRequestDto: {
      /** @description Version to run; the latest when omitted */
      version?: number;
      /**
       * @description Run input; must satisfy the workflow's inputSchema
       * @example {
       *       "n": 21
       *     }
       */
      input?: unknown;
      /**
       * @description Labels to find the run by
       * @example {
       *       "team": "growth"
       *     }
       */
      labels?: {
        [key: string]: string;
      };
      /**
       * @description Name of a registered workflow
       * @example order-fulfilment
       */
      workflow: string;
    };
    RunAcceptedDto: {
      /** Format: uuid */
      runId: string;
      /** @enum {string} */
      status: 'PENDING' | 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
      workflow: components['schemas']['RunWorkflowRefDto'];
      /** @example /api/v1/runs/0b5c… */
      location: string;
    };
    StartWorkflowRunRequestDto: {
      /** @description Version to run; the latest when omitted */
      version?: number;
      /**
       * @description Run input; must satisfy the workflow's inputSchema
       * @example {
       *       "n": 21
       *     }
       */
      input?: unknown;
      /**
       * @description Labels to find the run by
       * @example {
       *       "team": "growth"
       *     }
       */
      labels?: {
        [key: string]: string;
      };
    };
    RunWorkflowDto: {
      name: string;
      version?: number;
    };
    RunErrorDto: {
      code: string;
      message: string;
      details?: unknown;
    };
    StepAttemptDto: {
      taskId: string;
      stepId: string;
      itemIndex?: number;
      /** @enum {string} */
      purpose: 'step' | 'compensation';
      attempt: number;
      /** @enum {string} */
      status: 'DISPATCHED' | 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED';
      handler?: string;
      /** Format: date-time */
      dispatchedAt?: string;
      /** Format: date-time */
      startedAt?: string;
      /** Format: date-time */
      finishedAt?: string;
      output?: unknown;
      error?: components['schemas']['RunErrorDto'];
    };
    StepDto: {
      stepId: string;
      /** @enum {string} */
      status: 'PENDING' | 'ACTIVE' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
      output?: unknown;
      error?: components['schemas']['RunErrorDto'];
      skipReason?: string;
      awaitingSignal?: string;
      attempts: components['schemas']['StepAttemptDto'][];
    };
    RunDto: {
      runId: string;
      workflow: components['schemas']['RunWorkflowDto'];
      /** @enum {string} */
      status: 'PENDING' | 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
      input?: unknown;
      output?: unknown;
      error?: components['schemas']['RunErrorDto'];
      failedStep?: string;
      /**
       * @example {
       *       "team": "growth"
       *     }
       */
      labels?: {
        [key: string]: string;
      };
      idempotencyKey?: string;
      runAttempt?: number;
      /** Format: date-time */
      acceptedAt?: string;
      /** Format: date-time */
      startedAt?: string;
      /** Format: date-time */
      finishedAt?: string;
      steps: components['schemas']['StepDto'][];
      /** @description Stream revision the view reflects */
      revision?: string;
    };
    CancelRunRequestDto: {
      /** @description Why the run is cancelled */
      reason?: string;
    };
    SignalRunRequestDto: {
      /**
       * @description Signal name a signal step waits for
       * @example approved
       */
      name: string;
      /** @description Data delivered with the signal (the signal step output) */
      payload?: unknown;
      /** @description Deduplicates repeated deliveries of one signal; defaults to the Idempotency-Key header, else random */
      signalId?: string;
    };
    CreateSourceRequestDto: {
      /** @enum {string} */
      kind?: 'langflow' | 'agent';
      /** @example http://langflow.internal:7860 */
      baseUrl?: string;
      description?: string;
      /** @description Write-only: stored encrypted (AES-256-GCM), never returned; null removes it */
      apiKey?: string | null;
      /** @example langflow-main */
      name: string;
    };
    SourceDto: {
      name: string;
      /** @enum {string} */
      kind: 'langflow' | 'agent';
      baseUrl: string;
      /** @description Whether an API key is stored (the key itself is never returned) */
      hasApiKey: boolean;
      description?: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    UpdateSourceRequestDto: {
      /** @enum {string} */
      kind?: 'langflow' | 'agent';
      /** @example http://langflow.internal:7860 */
      baseUrl?: string;
      description?: string;
      /** @description Write-only: stored encrypted (AES-256-GCM), never returned; null removes it */
      apiKey?: string | null;
    };
    CreateApiKeyRequestDto: {
      /** @example ci-pipeline */
      name: string;
      /**
       * @example [
       *       "read",
       *       "write"
       *     ]
       */
      scopes: ('read' | 'write' | 'admin')[];
    };
    CreatedApiKeyDto: {
      /** Format: uuid */
      id: string;
      name: string;
      scopes: ('read' | 'write' | 'admin')[];
      /** @description The first characters of the key, to recognise it */
      prefix: string;
      /** Format: date-time */
      createdAt: string;
      /** @description The bearer token: shown this once, stored only as a SHA-256 hash */
      key: string;
    };
    ApiKeyDto: {
      /** Format: uuid */
      id: string;
      name: string;
      scopes: ('read' | 'write' | 'admin')[];
      /** @description The first characters of the key, to recognise it */
      prefix: string;
      /** Format: date-time */
      createdAt: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listRuns: {
    parameters: {
      query?: {
        /** @description Workflow name */
        workflow?: string;
        status?: 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
        /** @description "key=value" (that label with that value) or "key" (any value) */
        label?: string;
        /** @description Created at or after (ISO-8601) */
        createdFrom?: string;
        /** @description Created before (ISO-8601) */
        createdTo?: string;
        limit?: number;
        /** @description nextCursor of the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunPageDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  startRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description Repeating a start with the same key (for the same workflow) names the same run: the run id is derived from it */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['StartRunRequestDto'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunAcceptedDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The body is larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Well-formed, but invalid (field paths in errors) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  listWorkflows: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowSummaryDto'][];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  registerWorkflow: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A workflow definition (JSON, or YAML with content-type application/yaml); its JSON Schema is `workflowDefinitionSchema` in @spark/contracts */
    requestBody: {
      content: {
        'application/json': {
          [key: string]: unknown;
        };
        'application/yaml': {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description Already registered with this content */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RegisteredWorkflowDto'];
        };
      };
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RegisteredWorkflowDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not allowed in the current state, or contradicts what is recorded */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The body is larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Unsupported content type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Well-formed, but invalid (field paths in errors) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  validateWorkflow: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A workflow definition (JSON, or YAML with content-type application/yaml); its JSON Schema is `workflowDefinitionSchema` in @spark/contracts */
    requestBody: {
      content: {
        'application/json': {
          [key: string]: unknown;
        };
        'application/yaml': {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ValidationResultDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The body is larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Unsupported content type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  getWorkflow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflow definition */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  listWorkflowVersions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowVersionSummaryDto'][];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  getWorkflowVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        version: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflow definition */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  startWorkflowRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description Repeating a start with the same key (for the same workflow) names the same run: the run id is derived from it */
        'Idempotency-Key'?: string;
      };
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['StartWorkflowRunRequestDto'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunAcceptedDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The body is larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Well-formed, but invalid (field paths in errors) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  getRun: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Run id */
        runId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  cancelRun: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Run id */
        runId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CancelRunRequestDto'];
      };
    };
    responses: {
      /** @description The CancelRun command is durable */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not allowed in the current state, or contradicts what is recorded */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  signalRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description Repeating a start with the same key (for the same workflow) names the same run: the run id is derived from it */
        'Idempotency-Key'?: string;
      };
      path: {
        /** @description Run id */
        runId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SignalRunRequestDto'];
      };
    };
    responses: {
      /** @description The SignalRun command is durable */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not allowed in the current state, or contradicts what is recorded */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  retryRun: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Run id */
        runId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The RetryRun command is durable */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not allowed in the current state, or contradicts what is recorded */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  watchRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description Resume after this stream revision */
        'Last-Event-ID'?: string;
      };
      path: {
        /** @description Run id */
        runId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description text/event-stream */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  listSources: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SourceDto'][];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  createSource: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateSourceRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SourceDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not allowed in the current state, or contradicts what is recorded */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The body is larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  getSource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SourceDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  deleteSource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  updateSource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateSourceRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SourceDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The body is larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyDto'][];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateApiKeyRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKeyDto'];
        };
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed JSON, or a body, parameter or query that breaks the request rules (unknown fields included) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The API key lacks the scope */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  healthLive: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  healthReady: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
