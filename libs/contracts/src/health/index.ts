/** The services that make up Spark; each answers health pings on the `spark.health` topic. */
export const SERVICE_NAMES = ['gateway', 'scheduler', 'executor', 'projector'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Sent by a checker to `spark.health`; every service answers with a {@link HealthPong}. */
export interface HealthPing {
  kind: 'ping';
  /** Echoed back so the checker can match answers to its own ping. */
  nonce: string;
  sentAt: string;
}

export interface HealthPong {
  kind: 'pong';
  nonce: string;
  service: ServiceName;
  instanceId: string;
  pid: number;
  version: string;
  answeredAt: string;
}

export type HealthMessage = HealthPing | HealthPong;
