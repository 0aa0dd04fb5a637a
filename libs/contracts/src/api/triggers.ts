import { type RunStatusName } from './runs';

/** What starts runs besides the API and schedules: signed webhooks and messages on Kafka topics. */
export const TRIGGER_KINDS = ['webhook', 'kafka'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** Where a new Kafka trigger starts reading a topic: new messages only, or everything retained. */
export const KAFKA_START_POSITIONS = ['latest', 'earliest'] as const;
export type KafkaStartPosition = (typeof KAFKA_START_POSITIONS)[number];

export interface TriggerWorkflowRef {
  name: string;
  /** Pinned version; the latest at each start when omitted. */
  version?: number;
}

interface TriggerResourceBase {
  id: string;
  workflow: TriggerWorkflowRef;
  /** JSONata computing the run input; without it the input is the webhook body or the message value. */
  input?: string;
  description?: string;
  /** Paused triggers start nothing. */
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A webhook trigger as listed: its secret is shown once, at creation or rotation. */
export interface WebhookTriggerResource extends TriggerResourceBase {
  kind: 'webhook';
  /** Accepted difference between X-Spark-Timestamp and the gateway's clock. */
  toleranceSeconds: number;
  /** Path of its endpoint: `/api/v1/hooks/<id>`. */
  hookPath: string;
}

export interface KafkaTriggerResource extends TriggerResourceBase {
  kind: 'kafka';
  /** The topic's own name (topics of other teams are outside Spark's namespace). */
  topic: string;
  /** JSONata; a message starts a run only when it is truthy. */
  filter?: string;
  startFrom: KafkaStartPosition;
}

export type TriggerResource = WebhookTriggerResource | KafkaTriggerResource;

/** A webhook trigger with its signing secret, returned by create and rotate only. */
export interface WebhookTriggerWithSecret extends WebhookTriggerResource {
  secret: string;
}

/** The answer to a webhook delivery. */
export interface HookAccepted {
  runId: string;
  status: RunStatusName;
  /** True when this delivery id already started the run (a replay): nothing new was started. */
  duplicate: boolean;
  location: string;
}

/** Request headers of a signed webhook delivery. */
export const WEBHOOK_HEADERS = {
  timestamp: 'x-spark-timestamp',
  signature: 'x-spark-signature',
  delivery: 'x-spark-delivery',
} as const;
