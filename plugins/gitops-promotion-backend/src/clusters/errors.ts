import { STATUS_CODES } from 'node:http';
import { isError, toError } from '@backstage/errors';
import { ApiException } from '@kubernetes/client-node';
import { REFUSED_ADDRESS } from './clusterUrlGuard';
import { REFUSED_REDIRECT } from './connection';
import { ClusterRequestError } from './types';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
]);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return bodyMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 300) || undefined;
    }
  }
  if (
    body &&
    typeof body === 'object' &&
    'message' in body &&
    typeof body.message === 'string'
  ) {
    return body.message;
  }
  return undefined;
}

/**
 * The HTTP status of a failed request: the API calls of
 * @kubernetes/client-node throw an ApiException; its Watch rejects with a
 * plain Error carrying `statusCode`.
 */
function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (
    isError(error) &&
    'statusCode' in error &&
    typeof error.statusCode === 'number'
  ) {
    return error.statusCode;
  }
  return undefined;
}

/** Node's error code of a failed connection: on the error, or on its cause (fetch). */
function systemCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; isError(e) && depth < 3; depth++) {
    if ('code' in e && typeof e.code === 'string') return e.code;
    e = e.cause;
  }
  return undefined;
}

/**
 * Types a failed request the way the view reports it, with a message that
 * says what is wrong and what to do. `what` names the request, e.g.
 * "list helmreleases.helm.toolkit.fluxcd.io/v2"; `credentialHint` says
 * what to check on a 401. The message is built from those alone: what the
 * server or the network said goes to `detail`, for the log.
 */
export function toClusterError(
  error: unknown,
  cluster: string,
  what: string,
  credentialHint: string,
): ClusterRequestError {
  if (error instanceof ClusterRequestError) return error;
  const status = statusOf(error);
  const detail =
    (error instanceof ApiException ? bodyMessage(error.body) : undefined) ??
    toError(error).message;
  const typed = (
    type: ClusterRequestError['type'],
    message: string,
    statusCode?: number,
  ) => new ClusterRequestError(type, message, statusCode, detail);
  if (status !== undefined) {
    switch (status) {
      case 401:
        return typed(
          'UNAUTHORIZED',
          `Cluster ${cluster} rejected the credentials (401) on ${what}: ${credentialHint}.`,
          401,
        );
      case 403:
        return typed(
          'FORBIDDEN',
          `Cluster ${cluster} forbids ${what} (403): grant the service account ${
            what.startsWith('patch ')
              ? 'patch on it (reconcile, suspend and resume patch the object)'
              : 'get, list and watch on it'
          }.`,
          403,
        );
      case 404:
        return typed(
          'NOT_FOUND',
          `Cluster ${cluster} has no ${what} (404).`,
          404,
        );
      case 410:
        return typed('GONE', `${what}: resource version expired (410)`, 410);
      case 504:
        return typed(
          'TIMEOUT',
          `Cluster ${cluster} timed out on ${what} (504).`,
          504,
        );
      default:
        return typed(
          'UNREACHABLE',
          `Cluster ${cluster} answered ${status}${
            STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''
          } to ${what}.`,
          status,
        );
    }
  }
  const code = systemCode(error);
  const name = isError(error) ? error.name : undefined;
  if (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    code === 'ETIMEDOUT'
  ) {
    return typed(
      'TIMEOUT',
      `Cluster ${cluster} did not answer ${what} in time.`,
    );
  }
  if (code === REFUSED_REDIRECT) {
    return typed(
      'UNREACHABLE',
      `Cluster ${cluster} redirected ${what} to another host, which the backend does not follow: set the cluster's url to its API server itself.`,
    );
  }
  if (code === REFUSED_ADDRESS) {
    return typed(
      'UNREACHABLE',
      `Cluster ${cluster}'s host now resolves to a non-public address, which a catalog cluster may not use: kubernetes.clusterLocatorMethods[].dangerouslyAllowClusterUrls can exempt its host.`,
    );
  }
  if (code && TLS_CODES.has(code)) {
    return typed(
      'UNREACHABLE',
      `Cannot verify the TLS certificate of cluster ${cluster} (${code}): set caData or caFile for it.`,
    );
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return typed(
      'UNREACHABLE',
      `Cannot reach the API server of cluster ${cluster} (${code}): check its url and the network path from the backend.`,
    );
  }
  return typed(
    'UNREACHABLE',
    `Request ${what} to cluster ${cluster} failed; the backend's log has the cause.`,
  );
}
