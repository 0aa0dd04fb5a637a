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
  '/api/v1/workflows/import-langflow': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Register a one-step workflow that runs a flow of a LangFlow source
     * @description Run it with input {"message": "..."}. Importing the same flow again is a no-op (200); when the generated definition differs from the latest version, a new version is registered.
     */
    post: operations['importLangflowFlow'];
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
     * @description Answers 200 with valid=false and every problem (with its JSON path) when the definition is invalid; a body that is not an object (or YAML mapping) is a 400.
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
  '/api/v1/runs/bulk-cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel many runs: by id, or every run a filter matches
     * @description At most 1000 runs a request. Finished runs are skipped (RUN_FINISHED).
     */
    post: operations['bulkCancelRuns'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/runs/bulk-retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Retry many failed runs from where they failed: by id, or every run a filter matches
     * @description At most 1000 runs a request. Runs that did not fail are skipped (RUN_NOT_FAILED).
     */
    post: operations['bulkRetryRuns'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every schedule but deleted ones, soonest next fire first (from the read model) */
    get: operations['listSchedules'];
    put?: never;
    /** Create a schedule (its first timer is armed) */
    post: operations['createSchedule'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Validate a definition and show its next fire times, without creating it */
    post: operations['previewScheduleDefinition'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{scheduleId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A schedule: its state now and its stats */
    get: operations['getSchedule'];
    /** Replace the definition (the timer is re-armed from the new calendar) */
    put: operations['updateSchedule'];
    post?: never;
    /** Delete (final; running runs are not touched) */
    delete: operations['deleteSchedule'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{scheduleId}/fire-times': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The next N nominal fire times */
    get: operations['previewSchedule'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{scheduleId}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause: nothing fires until resumed */
    post: operations['pauseSchedule'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{scheduleId}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume from now (fires that fell in the pause are not caught up) */
    post: operations['resumeSchedule'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{scheduleId}/trigger': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Fire now, outside the calendar (the overlap policy applies, even when paused) */
    post: operations['triggerSchedule'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{scheduleId}/backfill': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Fire every calendar time in [from, to) now (at most 1,000); times that already ran keep their run */
    post: operations['backfillSchedule'];
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
  '/api/v1/sources/{name}/flows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The flows on a LangFlow source (GET {baseUrl}/api/v1/flows/ with its stored key) */
    get: operations['listSourceFlows'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/secrets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every secret, by name (never a value) */
    get: operations['listSecrets'];
    put?: never;
    /** Register a secret */
    post: operations['createSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/secrets/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One secret (never its value) */
    get: operations['getSecret'];
    put?: never;
    post?: never;
    /** Remove a secret */
    delete: operations['deleteSecret'];
    options?: never;
    head?: never;
    /** Rotate a secret or change its description */
    patch: operations['updateSecret'];
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
    /**
     * Revoke an API key
     * @description The last live admin key cannot be revoked (409 LAST_ADMIN_KEY): create another admin key first. Revoking the key the request is made with needs ?self=true (409 SELF_REVOCATION otherwise). Locked out anyway? `tools/admin-key` issues a new admin key to whoever can reach the database.
     */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every trigger, oldest first (never secrets) */
    get: operations['listTriggers'];
    put?: never;
    /** Create a webhook or Kafka trigger (a webhook secret is returned this once) */
    post: operations['createTrigger'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One trigger (never its secret) */
    get: operations['getTrigger'];
    put?: never;
    post?: never;
    /** Remove a trigger (its runs stay) */
    delete: operations['deleteTrigger'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Stop starting runs (webhooks answer 409) */
    post: operations['pauseTrigger'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start runs again (a Kafka trigger continues after its last committed message) */
    post: operations['resumeTrigger'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace a webhook trigger's secret (returned this once; the old one stops working at once) */
    post: operations['rotateTriggerSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hooks/{triggerId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a run of a webhook trigger (signed with its secret, no API key)
     * @description Sign "<X-Spark-Timestamp>.<raw body>" with HMAC-SHA256 and the trigger's secret. A delivery id seen before names the run it started (duplicate: true) and starts nothing. See docs/webhooks.md.
     */
    post: operations['deliverWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/system': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Services' readiness, projection lag, consumer lag and tasks in flight per executor
     * @description Measured at most every 2 s; a service that does not answer is reported, not an error.
     */
    get: operations['getSystemStatus'];
    put?: never;
    post?: never;
    delete?: never;
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
    ImportLangflowRequestDto: {
      /**
       * @description A registered LangFlow source
       * @example langflow-main
       */
      source: string;
      /** @description The flow id on that server */
      flowId: string;
      /** @description Workflow name (default: the flow's endpoint name, else its name) */
      name?: string;
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
    RunWaitingDto: {
      /** @example waiting for concurrency key tenant-a: 3 of 3 in use */
      reason: string;
      concurrencyKey?: string;
      inUse?: number;
      limit?: number;
      /** @description The run's place in line when it queued (1 = next) */
      position?: number;
      /** Format: date-time */
      since: string;
      /**
       * @description Set when the run waits for its debounce or throttle
       * @enum {string}
       */
      startControl?: 'debounce' | 'throttle';
      startControlKey?: string;
      /**
       * Format: date-time
       * @description When a debounced or throttled run starts its steps
       */
      until?: string;
    };
    RunActionDto: {
      /** @enum {string} */
      action: 'CANCEL' | 'RETRY' | 'SIGNAL';
      /** Format: date-time */
      at: string;
      /** @description The reason given; absent on a retry or signal without one, "cancelled" on such a cancel */
      reason?: string;
      /** @description SIGNAL: the signal's name */
      signal?: string;
      /** @description SIGNAL: the signal's id */
      signalId?: string;
      /** @description RETRY: the run attempt the retry began */
      runAttempt?: number;
    };
    StepWaitingDto: {
      taskId: string;
      attempt: number;
      /** @example waiting for rate limit model-x: 5 per 1s */
      reason: string;
      rateLimitKey?: string;
      concurrencyKey?: string;
      inUse?: number;
      limit?: number;
      /** @description Its place in line when it queued (1 = next) */
      position?: number;
      /** Format: date-time */
      since: string;
      /**
       * Format: date-time
       * @description When the attempt is dispatched
       */
      until?: string;
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
      /** @description What the attempt was given: the step's input (a map item's own), resolved at dispatch */
      input?: unknown;
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
      /** @description Task attempts held back by the step's rate limit or concurrency key */
      waiting?: components['schemas']['StepWaitingDto'][];
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
      /** @description Why a live run starts no step yet (its concurrency key has no free slot, or its debounce or throttle holds it) */
      waiting?: components['schemas']['RunWaitingDto'];
      /** @description Cancels, retries from failure and signals, in the order they were recorded, with their reasons */
      actions?: components['schemas']['RunActionDto'][];
      steps: components['schemas']['StepDto'][];
      /** @description Stream revision the view reflects */
      revision?: string;
    };
    CancelRunRequestDto: {
      /**
       * @description Why the run is cancelled (recorded in its RunCancelled, shown in the run)
       * @example bad deploy, see INC-42
       */
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
      /**
       * @description Why the signal is sent (recorded in its SignalReceived, shown in the run)
       * @example bad deploy, see INC-42
       */
      reason?: string;
    };
    RetryRunRequestDto: {
      /**
       * @description Why the run is retried (recorded in its RunResumed, shown in the run)
       * @example bad deploy, see INC-42
       */
      reason?: string;
    };
    BulkRunFilterDto: {
      /** @description Workflow name */
      workflow?: string;
      /** @enum {string} */
      status?: 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
      /** @description "key=value" (that label with that value) or "key" (any value) */
      label?: string;
      /**
       * Format: date-time
       * @description Created at or after (ISO-8601)
       */
      createdFrom?: string;
      /**
       * Format: date-time
       * @description Created before (ISO-8601)
       */
      createdTo?: string;
      /** @description The Idempotency-Key the run was started with (a run started without one has its run id as key) */
      idempotencyKey?: string;
    };
    BulkCancelRunsRequestDto: {
      /** @description These runs (exactly one of runIds and filter) */
      runIds?: string[];
      /** @description Every run the filter lists, newest first, at most 1000 (exactly one of runIds and filter) */
      filter?: components['schemas']['BulkRunFilterDto'];
      /**
       * @description Why the runs are retried or cancelled (recorded with each, shown in each run)
       * @example bad deploy, see INC-42
       */
      reason?: string;
    };
    BulkRetryRunsRequestDto: {
      /** @description These runs (exactly one of runIds and filter) */
      runIds?: string[];
      /** @description Every run the filter lists, newest first, at most 1000 (exactly one of runIds and filter) */
      filter?: components['schemas']['BulkRunFilterDto'];
      /**
       * @description Why the runs are retried or cancelled (recorded with each, shown in each run)
       * @example bad deploy, see INC-42
       */
      reason?: string;
    };
    BulkSkippedRunDto: {
      runId: string;
      /**
       * @description Why no command was sent
       * @example RUN_NOT_FAILED
       */
      reason: string;
      detail: string;
    };
    BulkRunsResultDto: {
      /** @description Runs the request named or the filter matched (at most the limit) */
      matched: number;
      /** @description Runs whose command is durable (they change shortly) */
      accepted: string[];
      /** @description Runs the command does not apply to, with why */
      skipped: components['schemas']['BulkSkippedRunDto'][];
      /** @description The filter matched more than 1000 runs: repeat for the rest */
      truncated: boolean;
    };
    ScheduleWorkflowDto: {
      /** @description Name of a registered workflow */
      name: string;
      /** @description Without it, the latest when the fire happens */
      version?: number;
    };
    CreateScheduleRequestDto: {
      /** @description When it fires: `cron` (5 fields, or 6 with seconds first, in an IANA `timezone`, default UTC), `interval` (`every`, e.g. "30s", from `anchor` or creation), or `once` (`at`) */
      spec:
        | {
            /** @enum {string} */
            kind: 'cron';
            /** @example *\/5 * * * * * */
            expression: string;
            /** @example Europe/Berlin */
            timezone?: string;
          }
        | {
            /** @enum {string} */
            kind: 'interval';
            /** @example 10m */
            every: string;
            /** Format: date-time */
            anchor?: string;
          }
        | {
            /** @enum {string} */
            kind: 'once';
            /** Format: date-time */
            at: string;
          };
      /** @description The workflow each fire runs */
      workflow: components['schemas']['ScheduleWorkflowDto'];
      /**
       * @description Input of every run it starts
       * @example {
       *       "report": "daily"
       *     }
       */
      input?: unknown;
      /**
       * @description What a fire does while a run it started is still running (default SKIP)
       * @enum {string}
       */
      overlap?: 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';
      /**
       * @description Fires missed while Spark was down still happen if at most this late (default "1m")
       * @example 5m
       */
      catchupWindow?: string;
      /**
       * @description Delay each fire by a deterministic amount below this
       * @example 10s
       */
      jitter?: string;
      /**
       * Format: date-time
       * @description No fire before this instant
       */
      startAt?: string;
      /**
       * Format: date-time
       * @description No fire after this instant
       */
      endAt?: string;
      /**
       * @description Schedule id (letters, digits, "_", "." or "-"); a UUID when omitted. Creating the same id with the same definition again is a no-op.
       * @example nightly-report
       */
      id?: string;
      /**
       * @description Create it paused
       * @default false
       */
      paused: boolean;
    };
    ScheduleDefinitionDto: {
      /** @description When it fires: `cron` (5 fields, or 6 with seconds first, in an IANA `timezone`, default UTC), `interval` (`every`, e.g. "30s", from `anchor` or creation), or `once` (`at`) */
      spec:
        | {
            /** @enum {string} */
            kind: 'cron';
            /** @example *\/5 * * * * * */
            expression: string;
            /** @example Europe/Berlin */
            timezone?: string;
          }
        | {
            /** @enum {string} */
            kind: 'interval';
            /** @example 10m */
            every: string;
            /** Format: date-time */
            anchor?: string;
          }
        | {
            /** @enum {string} */
            kind: 'once';
            /** Format: date-time */
            at: string;
          };
      /** @description The workflow each fire runs */
      workflow: components['schemas']['ScheduleWorkflowDto'];
      /**
       * @description Input of every run it starts
       * @example {
       *       "report": "daily"
       *     }
       */
      input?: unknown;
      /**
       * @description What a fire does while a run it started is still running (default SKIP)
       * @enum {string}
       */
      overlap?: 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';
      /**
       * @description Fires missed while Spark was down still happen if at most this late (default "1m")
       * @example 5m
       */
      catchupWindow?: string;
      /**
       * @description Delay each fire by a deterministic amount below this
       * @example 10s
       */
      jitter?: string;
      /**
       * Format: date-time
       * @description No fire before this instant
       */
      startAt?: string;
      /**
       * Format: date-time
       * @description No fire after this instant
       */
      endAt?: string;
    };
    NextFireDto: {
      /** Format: date-time */
      nominalTime: string;
      /**
       * Format: date-time
       * @description Nominal time plus jitter
       */
      fireAt: string;
    };
    ScheduleDto: {
      id: string;
      /** @enum {string} */
      status: 'active' | 'paused' | 'exhausted' | 'deleted';
      schedule: components['schemas']['ScheduleDefinitionDto'];
      /** Format: date-time */
      createdAt: string;
      nextFire: components['schemas']['NextFireDto'] | null;
      /** @description Runs it started that have not finished */
      runningRunIds: string[];
      /** @description Nominal times of fires waiting for a running run */
      bufferedFires: string[];
      /** Format: date-time */
      lastNominalTime: string | null;
      /** @description From the read model (eventually consistent): last run, last outcome, counts */
      stats: {
        [key: string]: unknown;
      } | null;
    };
    FiredDto: {
      /** Format: date-time */
      nominalTime: string;
      runId: string;
      /** @enum {string} */
      trigger: 'calendar' | 'catch-up' | 'manual' | 'buffered' | 'backfill';
    };
    ScheduleCommandResultDto: {
      schedule: components['schemas']['ScheduleDto'];
      /** @description Fires this command started (runs follow shortly) */
      fired: components['schemas']['FiredDto'][];
      /** @description Nominal times skipped by the overlap policy */
      skipped: string[];
      /** @description Nominal times buffered by the overlap policy */
      buffered: string[];
    };
    FireTimesDto: {
      /** @description Nominal fire times, soonest first */
      fireTimes: string[];
    };
    PauseScheduleRequestDto: {
      reason?: string;
    };
    BackfillScheduleRequestDto: {
      /**
       * Format: date-time
       * @description First nominal time considered (inclusive)
       */
      from: string;
      /**
       * Format: date-time
       * @description End of the range (exclusive); not in the future
       */
      to: string;
      /**
       * @description Overlap policy for these fires (default: the schedule's)
       * @enum {string}
       */
      overlap?: 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';
    };
    UpdateSourceRequestDto: {
      description?: string;
      /** @description Write-only: stored encrypted (AES-256-GCM), never returned; null removes it */
      apiKey?: string | null;
      /** @enum {string} */
      kind?: 'langflow' | 'agent';
      /** @example http://langflow.internal:7860 */
      baseUrl?: string;
    };
    CreateSourceRequestDto: {
      description?: string;
      /** @description Write-only: stored encrypted (AES-256-GCM), never returned; null removes it */
      apiKey?: string | null;
      /** @example langflow-main */
      name: string;
      /** @enum {string} */
      kind: 'langflow' | 'agent';
      /** @example http://langflow.internal:7860 */
      baseUrl: string;
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
    LangflowFlowDto: {
      id: string;
      name: string;
      /** @description LangFlow's endpoint_name */
      endpointName?: string;
      description?: string;
    };
    UpdateSecretRequestDto: {
      description?: string;
      /** @description Write-only: stored encrypted (AES-256-GCM), never returned */
      value?: string;
    };
    CreateSecretRequestDto: {
      description?: string;
      /** @example billing-token */
      name: string;
      /** @description Write-only: stored encrypted (AES-256-GCM), never returned */
      value: string;
    };
    SecretDto: {
      name: string;
      description?: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
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
    TriggerWorkflowDto: {
      /**
       * @description Name of a registered workflow
       * @example order-fulfilment
       */
      name: string;
      /** @description Version to start; the latest at each start when omitted */
      version?: number;
    };
    CreateTriggerRequestDto: {
      /** @enum {string} */
      kind: 'webhook' | 'kafka';
      workflow: components['schemas']['TriggerWorkflowDto'];
      /**
       * @description JSONata computing the run input. Webhooks: over {headers (lower-case names), body, query}, default `body`. Kafka: over {key, value, headers, topic, partition, offset, timestamp}, default `value`.
       * @example { "orderId": body.id, "source": headers."user-agent" }
       */
      input?: string;
      description?: string;
      /** @description Webhook only: accepted difference between X-Spark-Timestamp and the gateway's clock (default 300) */
      toleranceSeconds?: number;
      /**
       * @description Kafka only (required): the topic's own name, outside Spark's namespace
       * @example orders.created
       */
      topic?: string;
      /**
       * @description Kafka only: JSONata over the message; only messages for which it is truthy start a run
       * @example value.total > 100
       */
      filter?: string;
      /**
       * @description Kafka only: where the trigger starts reading the topic when created (default latest)
       * @enum {string}
       */
      startFrom?: 'latest' | 'earliest';
    };
    CreatedTriggerDto: {
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind: 'webhook' | 'kafka';
      workflow: components['schemas']['TriggerWorkflowDto'];
      input?: string;
      description?: string;
      /** @description Paused triggers start nothing */
      enabled: boolean;
      /** @description Webhook only */
      toleranceSeconds?: number;
      /**
       * @description Webhook only: where to send deliveries
       * @example /api/v1/hooks/…
       */
      hookPath?: string;
      /** @description Kafka only */
      topic?: string;
      /** @description Kafka only */
      filter?: string;
      /**
       * @description Kafka only
       * @enum {string}
       */
      startFrom?: 'latest' | 'earliest';
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description Webhook only: the HMAC-SHA256 signing secret. Shown this once (and on rotation); stored encrypted. */
      secret?: string;
    };
    TriggerDto: {
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind: 'webhook' | 'kafka';
      workflow: components['schemas']['TriggerWorkflowDto'];
      input?: string;
      description?: string;
      /** @description Paused triggers start nothing */
      enabled: boolean;
      /** @description Webhook only */
      toleranceSeconds?: number;
      /**
       * @description Webhook only: where to send deliveries
       * @example /api/v1/hooks/…
       */
      hookPath?: string;
      /** @description Kafka only */
      topic?: string;
      /** @description Kafka only */
      filter?: string;
      /**
       * @description Kafka only
       * @enum {string}
       */
      startFrom?: 'latest' | 'earliest';
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    HookAcceptedDto: {
      /** Format: uuid */
      runId: string;
      /** @enum {string} */
      status: 'PENDING' | 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
      /** @description True when this delivery id already started the run: nothing new started */
      duplicate: boolean;
      /** @example /api/v1/runs/0b5c… */
      location: string;
    };
    ServiceInstanceDto: {
      /** @enum {string} */
      service: 'scheduler' | 'executor' | 'projector';
      /** @example http://127.0.0.1:8082 */
      url: string;
      /** @description GET /health/ready answered 200 */
      ready: boolean;
      /** @description HTTP status of /health/ready */
      status?: number;
      /** @description Why it is not ready (or did not answer) */
      error?: string;
    };
    ProjectionLagDto: {
      /** @example read-model */
      checkpoint: string;
      /** @description Projected events not yet applied (counted up to 10,000) */
      eventsBehind: number;
      /** @description Age of the oldest event not yet applied (0 when caught up) */
      secondsBehind: number;
      /** @description The projector instance that reported it */
      url: string;
    };
    ConsumerLagDto: {
      group: string;
      topic: string;
      partitions: number;
      /** @description Messages after the group's committed offsets */
      lag: number;
    };
    HandlerLoadDto: {
      handler: string;
      inFlight: number;
    };
    ExecutorLoadDto: {
      url: string;
      ready: boolean;
      /** @description Tasks running in this executor */
      tasksInFlight: number;
      /** @description Tasks received and waiting for a free slot */
      tasksQueued: number;
      byHandler: components['schemas']['HandlerLoadDto'][];
    };
    SystemStatusDto: {
      /** Format: date-time */
      measuredAt: string;
      services: components['schemas']['ServiceInstanceDto'][];
      projection: components['schemas']['ProjectionLagDto'][];
      consumers: components['schemas']['ConsumerLagDto'][];
      /** @description Why consumer lag could not be read (Kafka unreachable) */
      consumersError?: string;
      executors: components['schemas']['ExecutorLoadDto'][];
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
        /** @description The Idempotency-Key the run was started with (a run started without one has its run id as key) */
        idempotencyKey?: string;
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
        /** @description Names one request: repeating the start with the same key and the same request answers the same run as it is now (status, pinned version); the same key with a different workflow, version, input or labels is a 422 */
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
  importLangflowFlow: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ImportLangflowRequestDto'];
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
      /** @description Problem */
      502: {
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
        /** @description Workflow name */
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
  listWorkflowVersions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Workflow name */
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
  getWorkflowVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Workflow name */
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
        /** @description Names one request: repeating the start with the same key and the same request answers the same run as it is now (status, pinned version); the same key with a different workflow, version, input or labels is a 422 */
        'Idempotency-Key'?: string;
      };
      path: {
        /** @description Workflow name */
        name: string;
      };
      cookie?: never;
    };
    /** @description Every field is optional; so is the body */
    requestBody?: {
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
    requestBody?: {
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
        /** @description Names one request: repeating the start with the same key and the same request answers the same run as it is now (status, pinned version); the same key with a different workflow, version, input or labels is a 422 */
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
    requestBody?: {
      content: {
        'application/json': components['schemas']['RetryRunRequestDto'];
      };
    };
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
  bulkCancelRuns: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BulkCancelRunsRequestDto'] & (unknown | unknown);
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkRunsResultDto'];
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
  bulkRetryRuns: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BulkRetryRunsRequestDto'] & (unknown | unknown);
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkRunsResultDto'];
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
  listSchedules: {
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
          'application/json': {
            [key: string]: unknown;
          }[];
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
  createSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateScheduleRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleCommandResultDto'];
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
  previewScheduleDefinition: {
    parameters: {
      query?: {
        count?: number;
        /** @description Preview fires after this instant (default now) */
        from?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleDefinitionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FireTimesDto'];
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
  getSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
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
          'application/json': components['schemas']['ScheduleDto'];
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
  updateSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleDefinitionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleCommandResultDto'];
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
  deleteSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
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
  previewSchedule: {
    parameters: {
      query?: {
        count?: number;
        /** @description Preview fires after this instant (default now) */
        from?: string;
      };
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
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
          'application/json': components['schemas']['FireTimesDto'];
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
  pauseSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PauseScheduleRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleCommandResultDto'];
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
  resumeSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
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
          'application/json': components['schemas']['ScheduleCommandResultDto'];
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
  triggerSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
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
          'application/json': components['schemas']['ScheduleCommandResultDto'];
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
  backfillSchedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Schedule id */
        scheduleId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BackfillScheduleRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleCommandResultDto'];
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
        /** @description Source name */
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
  deleteSource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Source name */
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
  updateSource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Source name */
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
  listSourceFlows: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Source name */
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
          'application/json': components['schemas']['LangflowFlowDto'][];
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
      /** @description Not allowed in the current state, or contradicts what is recorded */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Problem */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  listSecrets: {
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
          'application/json': components['schemas']['SecretDto'][];
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
  createSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateSecretRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretDto'];
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
      /** @description Problem */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  getSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Secret name */
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
          'application/json': components['schemas']['SecretDto'];
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
  deleteSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Secret name */
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
  updateSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Secret name */
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateSecretRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretDto'];
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
      /** @description Problem */
      503: {
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
      query?: {
        /** @description Must be "true" to revoke the key the request is made with (your own access ends) */
        self?: 'true' | 'false';
      };
      header?: never;
      path: {
        /** @description Id (a UUID) */
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
  listTriggers: {
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
          'application/json': components['schemas']['TriggerDto'][];
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
  createTrigger: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTriggerRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedTriggerDto'];
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
  getTrigger: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Id (a UUID) */
        id: string;
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
          'application/json': components['schemas']['TriggerDto'];
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
  deleteTrigger: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Id (a UUID) */
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
  pauseTrigger: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Id (a UUID) */
        id: string;
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
          'application/json': components['schemas']['TriggerDto'];
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
  resumeTrigger: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Id (a UUID) */
        id: string;
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
          'application/json': components['schemas']['TriggerDto'];
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
  rotateTriggerSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Id (a UUID) */
        id: string;
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
          'application/json': components['schemas']['CreatedTriggerDto'];
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
  deliverWebhook: {
    parameters: {
      query?: never;
      header: {
        /** @description Delivery id: a replay repeats it */
        'X-Spark-Delivery': string;
        /** @description "sha256=" + hex HMAC-SHA256 */
        'X-Spark-Signature': string;
        /** @description Unix seconds when the delivery was signed */
        'X-Spark-Timestamp': string;
      };
      path: {
        /** @description Id (a UUID) */
        triggerId: string;
      };
      cookie?: never;
    };
    /** @description Any body: JSON is parsed, form fields become an object, else text */
    requestBody?: {
      content: {
        'application/json': string;
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HookAcceptedDto'];
        };
      };
      /** @description No X-Spark-Delivery, or a body declared JSON that is not */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The signature or the timestamp is missing, malformed, wrong or outside the tolerance */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No webhook trigger has this id, or its workflow no longer exists */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The trigger is paused */
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
      /** @description The trigger's input expression failed, or the input does not match the workflow's schema */
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
  getSystemStatus: {
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
          'application/json': components['schemas']['SystemStatusDto'];
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
