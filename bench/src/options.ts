/** Command-line options of `yarn bench`. */
/** The options a number sets (--clusters 100). */
type NumericOption = {
  [K in keyof BenchOptions]-?: BenchOptions[K] extends number ? K : never;
}[keyof BenchOptions];

export interface BenchOptions {
  latencyMs: number;
  clusters: number;
  releases: number;
  /** Warm page views of the promotion plugin (paced, then as many back to back). */
  views: number;
  /** Warm page views of the Kubernetes plugin (each fans out to every cluster). */
  kubernetesViews: number;
  /** Pause between the end of a paced page view and the start of the next. */
  pauseMs: number;
  /** Status changes per plugin (break and fix alternately). */
  changes: number;
  /** Clusters started and seeded at a time. */
  parallel: number;
  /** Also start the backend without gitops-promotion, for the memory baseline. */
  baseline: boolean;
  /** CPU profiles of the full backend, one per phase, in the run folder. */
  cpuProfile: boolean;
  /** Write a heap snapshot of the full backend after the measurements. */
  heapSnapshot: boolean;
  /** Markdown file whose results section is replaced ('' to write none). */
  out: string;
  /** Start and seed the fleet, save how to reach it here, and wait for Ctrl-C. */
  serveFleet?: string;
  /** Measure against a fleet saved by --serve-fleet instead of starting one. */
  useFleet?: string;
}

const DEFAULTS: BenchOptions = {
  latencyMs: 50,
  clusters: 20,
  releases: 500,
  views: 300,
  kubernetesViews: 30,
  pauseMs: 50,
  changes: 6,
  parallel: 4,
  baseline: true,
  cpuProfile: false,
  heapSnapshot: false,
  out: 'docs/benchmarks.md',
};

export const USAGE = `yarn bench [options]

  --latency-ms <n>        latency added to every cluster request (default ${DEFAULTS.latencyMs})
  --clusters <n>          clusters in the fleet, split 10:2:3:5 over sandbox,
                          development, staging, production (default ${DEFAULTS.clusters})
  --releases <n>          KuboCD Releases per cluster; each cluster holds 6x as
                          many objects (default ${DEFAULTS.releases}: 3,000 objects)
  --views <n>             warm page views of the promotion plugin, paced, then
                          as many back to back (default ${DEFAULTS.views})
  --kubernetes-views <n>  the same for the Kubernetes plugin (default ${DEFAULTS.kubernetesViews})
  --pause-ms <n>          pause between paced page views (default ${DEFAULTS.pauseMs})
  --changes <n>           status changes timed per plugin (default ${DEFAULTS.changes})
  --parallel <n>          clusters started and seeded at a time (default ${DEFAULTS.parallel})
  --no-baseline           skip the backend without gitops-promotion (no memory per object)
  --cpu-profile           CPU profiles of the full backend, one per phase
                          (startup and sync, idle, each plugin's page views,
                          status changes), into .tools/run/bench/*.cpuprofile
  --heap-snapshot         a heap snapshot of the full backend after the measurements
  --out <file>            markdown file whose results section is rewritten
                          (default ${DEFAULTS.out}; --out '' writes none)

For profiling iterations (the fleet takes minutes to seed):
  --serve-fleet <file>    start and seed the fleet, save how to reach it to
                          <file>, and keep it up until Ctrl-C
  --use-fleet <file>      measure against that fleet instead of starting one
                          (its --clusters/--releases; it is left running)
`;

export function parseOptions(argv: string[]): BenchOptions {
  const options = { ...DEFAULTS };
  const numbers: Record<string, NumericOption> = {
    '--latency-ms': 'latencyMs',
    '--clusters': 'clusters',
    '--releases': 'releases',
    '--views': 'views',
    '--kubernetes-views': 'kubernetesViews',
    '--pause-ms': 'pauseMs',
    '--changes': 'changes',
    '--parallel': 'parallel',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n\n${USAGE}`);
      return v;
    };
    if (flag in numbers) {
      const n = Number(value());
      const min = flag === '--latency-ms' || flag === '--pause-ms' ? 0 : 1;
      if (!Number.isInteger(n) || n < min) {
        throw new Error(`${flag} must be an integer >= ${min}`);
      }
      options[numbers[flag]] = n;
    } else if (flag === '--no-baseline') {
      options.baseline = false;
    } else if (flag === '--cpu-profile') {
      options.cpuProfile = true;
    } else if (flag === '--heap-snapshot') {
      options.heapSnapshot = true;
    } else if (flag === '--out') {
      options.out = value();
    } else if (flag === '--serve-fleet') {
      options.serveFleet = value();
    } else if (flag === '--use-fleet') {
      options.useFleet = value();
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  if (options.releases < 2) {
    throw new Error('--releases must be at least 2 (the two bench workloads)');
  }
  return options;
}
