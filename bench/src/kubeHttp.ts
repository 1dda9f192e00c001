import https from 'node:https';
import { sendJson } from './sendJson';

/** Where a cluster is and which bearer token to use. */
export interface KubeHttpTarget {
  url: string;
  /** Base64 of the PEM CA bundle. */
  caData: string;
  token: string;
}

/** An error answer of the Kubernetes API. */
export class KubeHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * A small JSON-over-HTTPS client for seeding: one keep-alive agent per
 * cluster, no discovery, no model (de)serialization. client-node's typed
 * models cost more CPU than the API server on a 2-core machine.
 */
export class KubeHttp {
  private readonly agent: https.Agent;
  private readonly base: URL;

  constructor(private readonly target: KubeHttpTarget, maxSockets = 16) {
    this.base = new URL(target.url);
    this.agent = new https.Agent({
      ca: Buffer.from(target.caData, 'base64'),
      keepAlive: true,
      maxSockets,
    });
  }

  close() {
    this.agent.destroy();
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const { status, buffer } = await sendJson({
      base: this.base,
      agent: this.agent,
      token: this.target.token,
      method,
      path,
      body,
      contentType,
    });
    const text = buffer.toString('utf8');
    if (status >= 400) {
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // not a Status object
      }
      throw new KubeHttpError(
        status,
        `${method} ${path}: ${status} ${message}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** The collection path of a namespaced resource. */
export function collectionPath(
  apiVersion: string,
  plural: string,
  namespace: string,
): string {
  const prefix = apiVersion.includes('/') ? '/apis' : '/api';
  return `${prefix}/${apiVersion}/namespaces/${namespace}/${plural}`;
}
