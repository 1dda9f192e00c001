import request from 'supertest';

/** An object as the API names it. */
export interface Address {
  cluster: string;
  group: string;
  version: string;
  plural: string;
  namespace: string;
  name: string;
}

/** The path of an object of a demo catalog component's chains. */
export function objectPath(entity: string, a: Address): string {
  return `/api/gitops-promotion/v1/entities/default/component/${entity}/objects/${a.cluster}/${a.group}/${a.version}/${a.plural}/${a.namespace}/${a.name}`;
}

/** An object as a query parameter names it. */
export const objectQuery = (a: Address) =>
  [a.cluster, a.group, a.version, a.plural, a.namespace, a.name].join('/');

/** GET of one object through a component of the demo catalog. */
export function getObject(server: any, entity: string, a: Address) {
  return request(server).get(objectPath(entity, a));
}

/** POST of an action on one object through a component of the demo catalog. */
export function postAction(
  server: any,
  entity: string,
  action: string,
  a: Address,
) {
  return request(server).post(`${objectPath(entity, a)}/actions/${action}`);
}

/** The path of one cell (environment, workload `Kind/name`) of a demo catalog component. */
export function cellPath(
  entity: string,
  environment: string,
  workload: string,
) {
  return `/api/gitops-promotion/v1/entities/default/component/${entity}/cells/${environment}/${workload}`;
}

/** GET of one cell of a demo catalog component's view. */
export function getCell(
  server: any,
  entity: string,
  environment: string,
  workload: string,
) {
  return request(server).get(cellPath(entity, environment, workload));
}
