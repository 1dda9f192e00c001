import { delay, http, HttpResponse, RequestHandler } from 'msw';
import {
  KubeObject,
  ObjectKind,
} from '@gitops-promotion/backstage-plugin-common';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { mergePatch } from '../clusters/mergePatch';

/** A Status object as kube-apiserver sends it with an error. */
export function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

/** What kube-apiserver answers for a group, version or resource it does not serve. */
const notServed = () =>
  HttpResponse.json(
    status(404, 'NotFound', 'the server could not find the requested resource'),
    { status: 404 },
  );

type Failure = { status: number; body: object } | 'network' | 'hang' | 'pass';

interface OpenWatch {
  plural: string;
  resourceVersion: string;
  send(event: object): void;
  close(): void;
  /** Breaks the stream, as a connection reset by a load balancer does. */
  reset(): void;
}

/**
 * A Kubernetes API server at the HTTP boundary, for msw: discovery
 * (/apis, /apis/<group>/<version>), paginated lists with continue tokens,
 * streaming watches, single reads, events and merge patches, with the
 * object and Status shapes kube-apiserver sends. Tests add objects, push
 * watch events, and make any endpoint fail.
 */
export class FakeKubeApi {
  readonly requests: Array<{
    method: string;
    path: string;
    query: string;
    authorization: string | null;
  }> = [];
  private readonly objects = new Map<string, KubeObject[]>();
  private readonly watches = new Set<OpenWatch>();
  private readonly failures = new Map<string, Failure>();
  private readonly listFailures = new Map<string, Failure[]>();
  private served = new Map<string, Map<string, string[]>>();
  revision = 100;
  /** Delay of single reads, event lists and patches, as a distant API server adds. */
  onDemandLatencyMs = 0;
  /** Single reads, event lists and patches being answered now, and the most at once. */
  onDemandInFlight = 0;
  maxOnDemandInFlight = 0;

  constructor(readonly baseUrl = 'https://kube.test:6443') {
    for (const info of Object.values(KINDS)) {
      this.serve(info.group, info.versions[0], info.plural);
    }
  }

  /** Serves a plural at a group version (discovery lists it). */
  serve(group: string, version: string, plural: string): this {
    const versions = this.served.get(group) ?? new Map<string, string[]>();
    versions.set(version, [...(versions.get(version) ?? []), plural]);
    this.served.set(group, versions);
    return this;
  }

  /** Stops serving a group (its CRDs are not installed), one version of it, or one plural there. */
  unserve(group: string, version?: string, plural?: string): this {
    const versions = this.served.get(group);
    if (version && plural) {
      versions?.set(
        version,
        (versions.get(version) ?? []).filter(p => p !== plural),
      );
    } else if (version) versions?.delete(version);
    else this.served.delete(group);
    return this;
  }

  add(kind: ObjectKind, ...objects: KubeObject[]): this {
    const plural = KINDS[kind].plural;
    for (const obj of objects) {
      this.revision += 1;
      obj.metadata.resourceVersion = String(this.revision);
    }
    this.objects.set(plural, [...(this.objects.get(plural) ?? []), ...objects]);
    return this;
  }

  /** Makes a request fail: key is `version`, `discovery`, `list:<plural>`, `watch:<plural>`, `get:<plural>`, `events`. */
  fail(key: string, failure: Failure | undefined): this {
    if (failure) this.failures.set(key, failure);
    else this.failures.delete(key);
    return this;
  }

  /** Fails the next list requests of a plural, one failure per request. */
  failNextLists(plural: string, ...failures: Failure[]): this {
    this.listFailures.set(plural, failures);
    return this;
  }

  /** Changes an object and streams the event to open watches, as the API server does. */
  emit(
    kind: ObjectKind,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    obj: KubeObject,
  ): void {
    const plural = KINDS[kind].plural;
    this.revision += 1;
    const changed = {
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: String(this.revision) },
    };
    const others = (this.objects.get(plural) ?? []).filter(
      o =>
        !(
          o.metadata.namespace === obj.metadata.namespace &&
          o.metadata.name === obj.metadata.name
        ),
    );
    this.objects.set(
      plural,
      type === 'DELETED' ? others : [...others, changed],
    );
    this.send(plural, { type, object: changed });
  }

  /** A BOOKMARK as kube-apiserver sends it: an object of the watched kind with only its resourceVersion. */
  bookmark(plural: string): void {
    this.revision += 1;
    const kind = this.kindOf(plural)!;
    this.send(plural, {
      type: 'BOOKMARK',
      object: {
        kind: kind.kind,
        apiVersion: `${kind.group}/${kind.versions[0]}`,
        metadata: {
          resourceVersion: String(this.revision),
          creationTimestamp: null,
        },
      },
    });
  }

  /** Expires watches: kube-apiserver sends an ERROR event with a 410 Status in the stream. */
  expireWatches(plural: string): void {
    this.failWatches(
      plural,
      status(
        410,
        'Expired',
        `too old resource version: 100 (${this.revision})`,
      ),
    );
  }

  /** Sends an ERROR event carrying a Status to open watches, as kube-apiserver reports errors in a stream. */
  failWatches(plural: string, failure: ReturnType<typeof status>): void {
    this.send(plural, { type: 'ERROR', object: failure });
  }

  /** Ends open watches cleanly, as the server does at timeoutSeconds. */
  endWatches(plural?: string): void {
    for (const w of [...this.watches]) {
      if (!plural || w.plural === plural) w.close();
    }
  }

  /** Breaks open watches mid-stream, as a load balancer's idle reset does. */
  resetWatches(plural?: string): void {
    for (const w of [...this.watches]) {
      if (!plural || w.plural === plural) w.reset();
    }
  }

  openWatches(plural?: string): OpenWatch[] {
    return [...this.watches].filter(w => !plural || w.plural === plural);
  }

  count(method: string, pathPrefix: string, queryIncludes = ''): number {
    return this.requests.filter(
      r =>
        r.method === method &&
        r.path.startsWith(pathPrefix) &&
        r.query.includes(queryIncludes),
    ).length;
  }

  private send(plural: string, event: object) {
    for (const w of this.watches) {
      if (w.plural === plural) w.send(event);
    }
  }

  private async failure(key: string): Promise<Response | undefined> {
    const failure = this.failures.get(key);
    return failure ? this.respondFailure(failure) : undefined;
  }

  private async respondFailure(failure: Failure): Promise<Response> {
    if (failure === 'network') return HttpResponse.error();
    if (failure === 'hang') {
      await delay('infinite');
    }
    const { status: code, body } = failure as { status: number; body: object };
    return HttpResponse.json(body, { status: code });
  }

  /** Answers a single read, event list or patch after the latency, counting it in flight. */
  private async onDemand(answer: () => Promise<Response>): Promise<Response> {
    this.onDemandInFlight += 1;
    this.maxOnDemandInFlight = Math.max(
      this.maxOnDemandInFlight,
      this.onDemandInFlight,
    );
    try {
      if (this.onDemandLatencyMs > 0) await delay(this.onDemandLatencyMs);
      return await answer();
    } finally {
      this.onDemandInFlight -= 1;
    }
  }

  private kindOf(plural: string) {
    return Object.values(KINDS).find(k => k.plural === plural);
  }

  handlers(): RequestHandler[] {
    const base = this.baseUrl;
    const record = (request: Request) => {
      const url = new URL(request.url);
      this.requests.push({
        method: request.method,
        path: url.pathname,
        query: url.search,
        authorization: request.headers.get('authorization'),
      });
      return url;
    };
    return [
      http.get(`${base}/version`, async ({ request }) => {
        record(request);
        const failed = await this.failure('version');
        if (failed) return failed;
        return HttpResponse.json({
          major: '1',
          minor: '36',
          gitVersion: 'v1.36.3',
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2026-11-01T00:00:00Z',
          goVersion: 'go1.25.4',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
      }),
      http.get(`${base}/apis`, async ({ request }) => {
        record(request);
        const failed = await this.failure('discovery');
        if (failed) return failed;
        return HttpResponse.json({
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [...this.served.entries()].map(([name, versions]) => ({
            name,
            versions: [...versions.keys()].map(version => ({
              groupVersion: `${name}/${version}`,
              version,
            })),
            preferredVersion: {
              groupVersion: `${name}/${[...versions.keys()][0]}`,
              version: [...versions.keys()][0],
            },
          })),
        });
      }),
      http.get(`${base}/apis/:group/:version`, async ({ request, params }) => {
        record(request);
        const plurals = this.served
          .get(params.group as string)
          ?.get(params.version as string);
        if (!plurals) return notServed();
        return HttpResponse.json({
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `${params.group}/${params.version}`,
          resources: plurals.flatMap(plural => [
            {
              name: plural,
              singularName: this.kindOf(plural)?.kind.toLowerCase() ?? '',
              namespaced: true,
              kind: this.kindOf(plural)?.kind ?? '',
              verbs: [
                'delete',
                'deletecollection',
                'get',
                'list',
                'patch',
                'create',
                'update',
                'watch',
              ],
            },
            {
              name: `${plural}/status`,
              singularName: '',
              namespaced: true,
              kind: this.kindOf(plural)?.kind ?? '',
              verbs: ['get', 'patch', 'update'],
            },
          ]),
        });
      }),
      http.get(
        `${base}/apis/:group/:version/:plural`,
        async ({ request, params }) => {
          const url = record(request);
          const plural = params.plural as string;
          const { group, version } = params as {
            group: string;
            version: string;
          };
          if (!this.served.get(group)?.get(version)?.includes(plural)) {
            return notServed();
          }
          if (url.searchParams.get('watch') === 'true') {
            const failed = await this.failure(`watch:${plural}`);
            if (failed) return failed;
            return this.watchResponse(
              plural,
              url.searchParams.get('resourceVersion') ?? '',
            );
          }
          const queued = this.listFailures.get(plural)?.shift();
          if (queued && queued !== 'pass') return this.respondFailure(queued);
          const failed = await this.failure(`list:${plural}`);
          if (failed) return failed;
          const all = this.objects.get(plural) ?? [];
          const limit =
            Number(url.searchParams.get('limit') ?? all.length) || all.length;
          const start = Number(url.searchParams.get('continue') ?? 0);
          const end = start + limit;
          const kind = this.kindOf(plural)!.kind;
          return HttpResponse.json({
            apiVersion: `${group}/${version}`,
            kind: `${kind}List`,
            metadata: {
              resourceVersion: String(this.revision),
              ...(end < all.length
                ? {
                    continue: String(end),
                    remainingItemCount: all.length - end,
                  }
                : {}),
            },
            items: all
              .slice(start, end)
              .map(o => ({ ...o, apiVersion: `${group}/${version}`, kind })),
          });
        },
      ),
      http.get(
        `${base}/apis/:group/:version/namespaces/:namespace/:plural/:name`,
        ({ request, params }) =>
          this.onDemand(async () => {
            record(request);
            const plural = params.plural as string;
            const failed = await this.failure(`get:${plural}`);
            if (failed) return failed;
            const obj = this.find(
              plural,
              params.namespace as string,
              params.name as string,
            );
            return obj
              ? HttpResponse.json(obj)
              : HttpResponse.json(
                  status(
                    404,
                    'NotFound',
                    `${plural}.${params.group} "${params.name}" not found`,
                  ),
                  { status: 404 },
                );
          }),
      ),
      http.patch(
        `${base}/apis/:group/:version/namespaces/:namespace/:plural/:name`,
        ({ request, params }) =>
          this.onDemand(async () => {
            record(request);
            const plural = params.plural as string;
            const obj = this.find(
              plural,
              params.namespace as string,
              params.name as string,
            );
            if (!obj)
              return HttpResponse.json(status(404, 'NotFound', 'not found'), {
                status: 404,
              });
            const patch = (await request.json()) as object;
            const patched = mergePatch(obj, patch) as KubeObject;
            this.emit(this.kindOf(plural)!.kind, 'MODIFIED', patched);
            return HttpResponse.json(
              this.find(
                plural,
                params.namespace as string,
                params.name as string,
              ),
            );
          }),
      ),
      http.get(`${base}/api/v1/namespaces/:namespace/events`, ({ request }) =>
        this.onDemand(async () => {
          record(request);
          const failed = await this.failure('events');
          if (failed) return failed;
          return HttpResponse.json({
            kind: 'EventList',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(this.revision) },
            items: this.events,
          });
        }),
      ),
    ];
  }

  /** Core/v1 events the events endpoint returns. */
  events: object[] = [];

  private find(plural: string, namespace: string, name: string) {
    return this.objects
      .get(plural)
      ?.find(
        o => o.metadata.namespace === namespace && o.metadata.name === name,
      );
  }

  private watchResponse(plural: string, resourceVersion: string): Response {
    const encoder = new TextEncoder();
    let watch!: OpenWatch;
    const stream = new ReadableStream({
      start: controller => {
        watch = {
          plural,
          resourceVersion,
          send: event =>
            controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`)),
          close: () => {
            this.watches.delete(watch);
            controller.close();
          },
          reset: () => {
            this.watches.delete(watch);
            controller.error(
              Object.assign(new Error('read ECONNRESET'), {
                code: 'ECONNRESET',
              }),
            );
          },
        };
        this.watches.add(watch);
        // kube-apiserver flushes a watch's headers at once; msw sends them
        // with the first chunk, so one is sent: an empty line, which
        // clients skip.
        controller.enqueue(encoder.encode('\n'));
      },
      cancel: () => {
        this.watches.delete(watch);
      },
    });
    return new HttpResponse(stream, {
      headers: { 'Content-Type': 'application/json' },
    });
  }
}
