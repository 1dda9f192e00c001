/*
 * The benchmark's Backstage backend: the catalog, permissions with the
 * allow-all policy, the Kubernetes plugin and the GitOps promotion plugin,
 * nothing else, so that its memory and start time are those of the plugins
 * under test and not of a portal's other plugins. Forked by backend.ts with
 * an IPC channel, over which it reports its own memory (after a full GC
 * when started with --expose-gc) and writes heap snapshots: bench code in
 * the bench's entry point, none in the plugins. With BENCH_CPU_PROFILE_DIR
 * it also profiles itself phase by phase (see the cpuProfile message).
 * The plugins' OpenTelemetry metrics go to a reader the bench collects on
 * demand (the metrics message), as an operator's exporter would read them.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import v8 from 'node:v8';
import { createBackend } from '@backstage/backend-defaults';
import { metrics } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import type { MetricTotals } from './journalFigures';

/** Collects when the bench asks, never on its own. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}
const reader = new OnDemandReader();
// Before the backend starts: the metrics service takes its meter from it.
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

/** The gitops-promotion plugin's metrics, cumulative: histograms as count and sum, counters as sum. */
async function pluginMetrics(): Promise<MetricTotals> {
  const totals: MetricTotals = {};
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length) {
    throw new Error(`collecting the metrics failed: ${errors.join('; ')}`);
  }
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const name = metric.descriptor.name;
      if (!name.startsWith('gitops_promotion.')) continue;
      const total = (totals[name] ??= { count: 0, sum: 0 });
      for (const point of metric.dataPoints) {
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const value = point.value as { count: number; sum?: number };
          total.count += value.count;
          total.sum += value.sum ?? 0;
        } else if (metric.dataPointType === DataPointType.SUM) {
          total.count += 1;
          total.sum += point.value as number;
        }
      }
    }
  }
  return totals;
}

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@backstage/plugin-kubernetes-backend'));
if (process.env.BENCH_GITOPS_PROMOTION !== 'off') {
  backend.add(import('@gitops-promotion/backstage-plugin-backend'));
}

type Request =
  | { id: number; type: 'memory'; gc: boolean }
  | { id: number; type: 'heapSnapshot'; file: string }
  | { id: number; type: 'metrics' }
  | { id: number; type: 'cpuProfile'; name: string; next: boolean };

// With BENCH_CPU_PROFILE_DIR, a CPU profile runs from the start; each
// cpuProfile message ends the current one as <name>.cpuprofile (and starts
// the next), so the bench can profile one phase at a time.
const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
const session = profileDir ? new Session() : undefined;
const post = <T = unknown>(method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session!.post(method, params ?? {}, (error, result) =>
      error ? reject(error) : resolve(result as T),
    ),
  );
if (session) {
  session.connect();
  post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 250 }))
    .then(() => post('Profiler.start'));
}

process.on('message', (message: Request) => {
  if (message.type === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (message.gc && gc) {
      // Twice: the first pass can leave garbage that finalizers released.
      gc();
      gc();
    }
    process.send!({
      id: message.id,
      gc: message.gc && !!gc,
      usage: process.memoryUsage(),
    });
  } else if (message.type === 'metrics') {
    pluginMetrics().then(
      totals => process.send!({ id: message.id, metrics: totals }),
      error => process.send!({ id: message.id, error: String(error) }),
    );
  } else if (message.type === 'heapSnapshot') {
    process.send!({ id: message.id, file: v8.writeHeapSnapshot(message.file) });
  } else if (message.type === 'cpuProfile') {
    if (!session || !profileDir) {
      process.send!({ id: message.id });
      return;
    }
    (async () => {
      const { profile } = await post<{ profile: object }>('Profiler.stop');
      const file = path.join(profileDir, `${message.name}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      if (message.next) await post('Profiler.start');
      process.send!({ id: message.id, file });
    })();
  }
});

backend.start();
