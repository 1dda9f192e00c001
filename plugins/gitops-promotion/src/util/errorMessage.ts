import { ResponseError } from '@backstage/errors';

/**
 * What went wrong, as the server said it: a ResponseError's own message is
 * only the HTTP status ("Request failed with 403 Forbidden").
 */
export function errorMessage(error: Error): string {
  return error instanceof ResponseError
    ? `${error.cause.message} (${error.statusCode})`
    : error.message;
}
