import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

/** A request to a server that takes a bearer token and JSON bodies. */
export interface JsonRequest {
  base: URL;
  /** http.Agent or https.Agent, matching the base URL's protocol. */
  agent: http.Agent;
  token: string;
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
}

export interface RawAnswer {
  status: number;
  /** From sending the request to the last byte of the answer. */
  ms: number;
  buffer: Buffer;
}

/**
 * Sends one request and collects the answer unparsed, so callers time the
 * transfer alone and parse only when they need the body.
 */
export function sendJson(request: JsonRequest): Promise<RawAnswer> {
  const { base, agent, token, method, path, body } = request;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = base.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = send(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(payload !== undefined
            ? {
                'Content-Type': request.contentType ?? 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            buffer: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
