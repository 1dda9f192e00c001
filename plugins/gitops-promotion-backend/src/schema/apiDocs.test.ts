import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { spec } from './openapi/generated/router';

type Parameter = { name?: string; in?: string; $ref?: string };
type Operation = { parameters?: Parameter[] };

const paths = spec.paths as unknown as Record<
  string,
  Record<string, Operation>
>;
const parameters = spec.components.parameters as unknown as Record<
  string,
  Parameter
>;

/** A documented route: method, path with `:params`, and its query parameters. */
const route = (method: string, path: string, query: string[]) =>
  `${method.toUpperCase()} ${path}${
    query.length ? ` ?${query.join('&')}` : ''
  }`;

function specRoutes(): string[] {
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const query = (operation.parameters ?? [])
        .map(p => (p.$ref ? parameters[p.$ref.split('/').pop()!] : p))
        .filter(p => p.in === 'query')
        .map(p => p.name!);
      return route(method, path.replace(/\{(\w+)\}/g, ':$1'), query);
    }),
  );
}

/**
 * The routes docs/api.md documents, from its headings:
 * ``## `GET /path/:param?a=<x>[&b=<y>]` ``.
 */
function documentedRoutes(): string[] {
  const doc = readFileSync(
    resolve(__dirname, '../../../../docs/api.md'),
    'utf8',
  );
  return [...doc.matchAll(/^## `(GET|POST|PUT|PATCH|DELETE) ([^`]+)`/gm)].map(
    ([, method, target]) => {
      const [path, query = ''] = target.replace(/[[\]]/g, '').split('?');
      const names = [...query.matchAll(/(\w+)=/g)].map(m => m[1]);
      return route(method, path, names);
    },
  );
}

describe('docs/api.md', () => {
  it('documents every route of the OpenAPI spec with its query parameters, and no other', () => {
    expect(documentedRoutes().sort()).toEqual(specRoutes().sort());
  });
});
