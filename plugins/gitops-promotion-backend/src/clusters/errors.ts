import { STATUS_CODES } from 'node:http';
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
    typeof (body as any).message === 'string'
  ) {
    return (body as any).message;
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
  const err = error as {
    code?: unknown;
    statusCode?: number;
    name?: string;
    message?: string;
    body?: unknown;
    cause?: any;
  };
  const status = typeof err.code === 'number' ? err.code : err.statusCode;
  const detail = bodyMessage(err.body) ?? err.message ?? String(error);
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
  const code = typeof err.code === 'string' ? err.code : err.cause?.code;
  if (
    err.name === 'AbortError' ||
    err.name === 'TimeoutError' ||
    code === 'ETIMEDOUT'
  ) {
    return typed(
      'TIMEOUT',
      `Cluster ${cluster} did not answer ${what} in time.`,
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
