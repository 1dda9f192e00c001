import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import {
  ConfigurationOptions,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { normalizedHost, publicOnlyLookup } from './clusterUrlGuard';
import { authProviderOf, CredentialSource } from './ClusterCredentials';
import { ClusterRequestError } from './types';

/**
 * Aborts each request after a timeout (a cluster that accepts the connection
 * and never answers must not hold a list or a drill-down forever) or when
 * the source closes (a stopping backend must not wait for it), and sends
 * it on the cluster's keep-alive connections: client-node makes a new agent,
 * so a new TCP and TLS connection, for every request
 * (kubernetes-client/javascript#2893), which over a 50 ms link costs two
 * more round trips per list page and discovery call.
 */
export function requestOptions(
  ms: number,
  agent: http.Agent,
  closed: AbortSignal,
): ConfigurationOptions<ObservableMiddleware> {
  const middleware: ObservableMiddleware = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.any([AbortSignal.timeout(ms), closed]));
      context.setAgent(agent);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) =>
      new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** The error code of a connection to another host a cluster's agent refused (errors.ts words it). */
export const REFUSED_REDIRECT = 'ERR_GITOPS_PROMOTION_REDIRECT';

/**
 * The agents a cluster's requests and watches go out on, with the TLS
 * settings its kubeconfig gives client-node, read once: kept-alive ones
 * for requests, or one per watch (aborted by destroying it). They connect
 * to the host of the cluster's URL only: node-fetch follows redirects on
 * the same agent, so an API server (or a catalog entity's URL) that
 * redirects elsewhere cannot send the backend into its own network; with
 * `publicOnly` (catalog clusters whose host is not exempt), every address
 * they connect to is checked then (publicOnlyLookup).
 */
export function clusterAgents(
  cluster: ClusterDetails,
  options: { publicOnly?: boolean },
): (keepAlive: boolean) => http.Agent {
  const url = new URL(cluster.url);
  const host = normalizedHost(url.hostname);
  const lookup = options.publicOnly ? { lookup: publicOnlyLookup } : {};
  const pinned = <A extends http.Agent>(agent: A): A => {
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (connectOptions, callback) => {
      const target = normalizedHost(connectOptions.host ?? '');
      if (target === host) return connect(connectOptions, callback);
      // Through the callback, as the agent expects of a connection that failed.
      (callback as (error: Error) => void)(
        Object.assign(
          new Error(
            `the API server at ${host} redirected the request to ${target}`,
          ),
          { code: REFUSED_REDIRECT },
        ),
      );
      return undefined;
    };
    return agent;
  };
  if (url.protocol === 'http:') {
    return keepAlive => pinned(new http.Agent({ keepAlive, ...lookup }));
  }
  const ca = cluster.caFile
    ? fs.readFileSync(cluster.caFile)
    : cluster.caData && Buffer.from(cluster.caData, 'base64');
  const tls = {
    ...lookup,
    ...(ca ? { ca } : {}),
    ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : {}),
  };
  return keepAlive => pinned(new https.Agent({ keepAlive, ...tls }));
}

/** Names the KubeConfig user whose requests take the cluster's credential source. */
const STRATEGY_USER = 'backstage-auth-strategy';

/**
 * The credential source's answer, or a TIMEOUT after `ms`: client-node asks
 * for it before a request's own timeout starts, so a strategy that stalls
 * (an identity provider out of reach) would hold lists, probes and
 * on-demand reads for good.
 */
async function credentialWithin(
  credential: CredentialSource,
  ms: number,
  cluster: ClusterDetails,
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ClusterRequestError(
            'TIMEOUT',
            `Cluster ${cluster.name}: the ${authProviderOf(
              cluster,
            )} strategy gave no credentials within ${
              ms / 1000
            } s; check that the backend reaches its identity provider`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([credential(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A KubeConfig whose every request, list and watch alike, asks the
 * credential source again, so expiring tokens are renewed as they rotate,
 * waiting for it at most `credentialTimeoutMs`.
 */
export function kubeConfigFor(
  cluster: ClusterDetails,
  credential: CredentialSource,
  credentialTimeoutMs: number,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        // client-node refuses an http: server (kubectl proxy) unless this is
        // set; there is no TLS to verify on it anyway.
        skipTLSVerify:
          new URL(cluster.url).protocol === 'http:' ||
          (cluster.skipTLSVerify ?? false),
      },
    ],
    users: [{ name: cluster.name, authProvider: { name: STRATEGY_USER } }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  kc.addAuthenticator({
    isAuthProvider: user => user.authProvider?.name === STRATEGY_USER,
    applyAuthentication: async (_user, opts) => {
      const c = await credentialWithin(
        credential,
        credentialTimeoutMs,
        cluster,
      );
      if (c.type === 'bearer token') {
        opts.headers = { ...opts.headers, Authorization: `Bearer ${c.token}` };
      } else if (c.type !== 'anonymous') {
        // Requests go out on the cluster's keep-alive agent, built once without a client certificate.
        throw new ClusterRequestError(
          'UNAUTHORIZED',
          `Cluster ${cluster.name}: the ${authProviderOf(
            cluster,
          )} strategy gave a ${
            c.type
          }; gitops-promotion sends bearer tokens only`,
        );
      }
    },
  });
  return kc;
}

/** What to check when the cluster answers 401. */
export function credentialHintFor(cluster: ClusterDetails): string {
  const provider = authProviderOf(cluster);
  if (provider !== 'serviceAccount') {
    return `check the ${provider} identity of the backend and that the cluster maps it to a user`;
  }
  return cluster.authMetadata.serviceAccountToken
    ? 'check serviceAccountToken in kubernetes.clusterLocatorMethods'
    : "no serviceAccountToken is set, so the backend pod's own service account token was sent";
}
