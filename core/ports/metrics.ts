/**
 * Metrics: counts and durations with a few dimensions. In AWS they become CloudWatch Embedded
 * Metric Format log lines (no API calls); the silent twin drops them.
 */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface Metrics {
  count(name: string, dimensions?: MetricDimensions, value?: number): void;
  duration(name: string, milliseconds: number, dimensions?: MetricDimensions): void;
}

export const silentMetrics: Metrics = { count() {}, duration() {} };

/** The metric names, in one place (Terraform's alarms and dashboard use the same names). */
export const Metric = {
  TasksCreated: 'TasksCreated',
  TasksFinished: 'TasksFinished',
  QueueWait: 'QueueWaitMs',
  RunDuration: 'RunDurationMs',
  PushAttempts: 'PushAttempts',
  PushFailures: 'PushFailures',
  PushLatency: 'PushLatencyMs',
  DlqArrivals: 'DlqArrivals',
  AuthDenials: 'AuthDenials',
  RpcErrors: 'JsonRpcErrors',
} as const;
