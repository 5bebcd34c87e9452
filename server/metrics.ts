import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, on a registry of its own (several apps may share a process in tests). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'notchify_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'notchify_http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    pushes: new Counter({ name: 'notchify_sync_push_requests_total', help: 'Push requests answered', registers: [registry] }),
    pulls: new Counter({ name: 'notchify_sync_pull_requests_total', help: 'Pull requests answered', registers: [registry] }),
    pagesReadAhead: new Counter({
      name: 'notchify_sync_pull_pages_read_ahead_total',
      help: 'Pull requests answered with a page made while the page before travelled',
      registers: [registry],
    }),
    mutations: new Counter({
      name: 'notchify_sync_mutations_total',
      help: 'Pushed mutations by outcome',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'notchify_sync_rejected_mutations_total',
      help: 'Mutations the rules refused, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    pulledChanges: new Counter({ name: 'notchify_sync_pulled_changes_total', help: 'Row changes sent to desktops', registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
