import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';

/** A request as Backstage's HttpAuthService takes it, whatever its query's types. */
export type Request = Parameters<HttpAuthService['credentials']>[0];

/**
 * Who asks: an HTTP request (the router), or the credentials an action of
 * the actions registry runs with (src/actions): the same checks for both.
 */
export type Caller =
  | { request: Request }
  | { credentials: BackstageCredentials };
