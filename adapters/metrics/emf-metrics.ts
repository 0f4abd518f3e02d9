/**
 * CloudWatch Embedded Metric Format: one JSON line per data point, written to stdout (Lambda
 * ships it to CloudWatch Logs, which extracts the metric). No API calls, no batching state.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { MetricDimensions, Metrics } from '../../core/ports/metrics';

export const METRICS_NAMESPACE = 'A2AGateway';

export interface EmfOptions {
  service: string;
  namespace?: string;
  write?: (line: string) => void;
  now?: () => number;
}

export function emfMetrics(o: EmfOptions): Metrics {
  const write = o.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = o.now ?? Date.now;
  const namespace = o.namespace ?? METRICS_NAMESPACE;
  const emit = (name: string, value: number, unit: 'Count' | 'Milliseconds', dims: MetricDimensions) => {
    const dimensions = { service: o.service, ...dims };
    write(
      JSON.stringify({
        _aws: {
          Timestamp: now(),
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              // the service-only set lets alarms and dashboards aggregate across the other dimensions
              Dimensions:
                Object.keys(dims).length > 0 ? [['service'], Object.keys(dimensions)] : [['service']],
              Metrics: [{ Name: name, Unit: unit }],
            },
          ],
        },
        ...dimensions,
        [name]: value,
      }),
    );
  };
  return {
    count: (name, dims = {}, value = 1) => emit(name, value, 'Count', dims),
    duration: (name, ms, dims = {}) => emit(name, Math.round(ms * 1000) / 1000, 'Milliseconds', dims),
  };
}
