/*
 * The spec describes what the backend answers: every answer of the demo
 * backend (each component's view, each cell, each object of the chains,
 * the overviews, history, allowed actions, a values comparison, errors) is
 * validated against the schema the spec declares for its operation and
 * status, with every object closed: a field the backend sends and the spec
 * does not name fails, as does a field the spec requires and the backend
 * leaves out. The frontend's client is typed by the same spec
 * (src/schema/openapi in the frontend package), so the compiler holds the
 * spec to the common package's types and this test holds it to the wire.
 */
import Ajv, { ValidateFunction } from 'ajv';
import request from 'supertest';
import {
  CellDetail,
  PromotionViewSummary,
} from '@gitops-promotion/backstage-plugin-common';
import {
  demoConfig,
  demoEntities,
  startDemo,
  withFleet,
} from '../__testUtils__/demoBackend';
import { cellPath, objectPath, objectQuery } from '../__testUtils__/routes';
import { spec } from './openapi/generated/router';

type Schema = { [key: string]: any };

const document = spec as unknown as Schema;
const refName = (ref: string) => ref.split('/').pop()!;

/** A schema with its allOf parts merged into one object. */
function merged(schema: Schema): Schema {
  if (!schema.allOf) return schema;
  const parts: Schema[] = schema.allOf.map((part: Schema) =>
    merged(part.$ref ? document.components.schemas[refName(part.$ref)] : part),
  );
  const { allOf, ...rest } = schema;
  return {
    ...rest,
    type: 'object',
    properties: Object.assign({}, ...parts.map(p => p.properties)),
    required: parts.flatMap(p => p.required ?? []),
  };
}

/** Every object that names its properties admits no others, unless it says so. */
function closed(schema: Schema): Schema {
  if (schema.$ref) return schema;
  const out = { ...merged(schema) };
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, closed(v as Schema)]),
    );
    out.additionalProperties ??= false;
  }
  if (out.items) out.items = closed(out.items);
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
const closedComponents = {
  schemas: Object.fromEntries(
    Object.entries(document.components.schemas).map(([k, v]) => [
      k,
      closed(v as Schema),
    ]),
  ),
};
const validators = new Map<string, ValidateFunction>();
/** Operations and statuses answers were checked against. */
const checked = new Set<string>();

/** The schema the spec declares for an operation's answer with `status`. */
function validatorOf(operationId: string, status: number): ValidateFunction {
  const key = `${operationId} ${status}`;
  const known = validators.get(key);
  if (known) return known;
  const operation = Object.values(document.paths as Schema)
    .flatMap(methods => Object.values(methods as Schema))
    .find((op: Schema) => op.operationId === operationId);
  if (!operation) throw new Error(`the spec has no operation ${operationId}`);
  let response = operation.responses[String(status)];
  if (!response) {
    throw new Error(`the spec declares no ${status} answer of ${operationId}`);
  }
  if (response.$ref) {
    response = document.components.responses[refName(response.$ref)];
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${key} has no JSON body in the spec`);
  const validate = ajv.compile({
    ...closed(schema),
    components: closedComponents,
  });
  validators.set(key, validate);
  return validate;
}

/** Fails with the spec's complaints when `res` is not what the spec says. */
function expectAsSpecified(operationId: string, res: request.Response) {
  const validate = validatorOf(operationId, res.status);
  checked.add(`${operationId} ${res.status}`);
  if (!validate(res.body)) {
    throw new Error(
      `${operationId} ${res.status} differs from the spec:\n${ajv.errorsText(
        validate.errors,
        {
          separator: '\n',
        },
      )}`,
    );
  }
}

const entityUrl = (kind: string, name: string) =>
  `/api/gitops-promotion/v1/entities/default/${kind}/${name}`;

describe('the answers, as the OpenAPI spec describes them', () => {
  it('holds for every answer of the demo backend', async () => {
    const server = await startDemo();
    const get = (path: string) => request(server).get(path);
    const views: PromotionViewSummary[] = [];
    const cells: CellDetail[] = [];

    for (const entity of demoEntities()) {
      const name = entity.metadata.name;
      const res = await get(`${entityUrl('component', name)}/promotion`);
      expectAsSpecified('getPromotionView', res);
      if (res.status !== 200) continue;
      const view: PromotionViewSummary = res.body;
      views.push(view);
      expectAsSpecified(
        'getAllowedActions',
        await get(`${entityUrl('component', name)}/actions`),
      );
      expectAsSpecified(
        'getPromotionHistory',
        await get(`${entityUrl('component', name)}/history`),
      );
      for (const row of view.workloads) {
        for (const summary of row.cells) {
          const path = cellPath(name, summary.environment, row.id);
          const cell = await get(path);
          expectAsSpecified('getCellDetail', cell);
          const detail: CellDetail = cell.body;
          cells.push(detail);
          const ready = summary.readyClusters
            ? detail.inBrief.find(c => c.state === 'Ready')
            : undefined;
          if (ready) {
            expectAsSpecified(
              'getCellDetail',
              await get(`${path}?cluster=${ready.cluster}`),
            );
          }
          for (const link of detail.cell.clusters.flatMap(c => c.chain)) {
            const address = { ...link.ref };
            expectAsSpecified(
              'getObjectDetails',
              await get(objectPath(name, address)),
            );
          }
        }
        // What two environments' workloads run with, as the comparison asks.
        const found = cells
          .filter(
            c => c.entityRef === view.entityRef && c.workload.id === row.id,
          )
          .flatMap(c =>
            c.cell.clusters.flatMap(cl =>
              cl.chain.filter(l => l.role === 'workload' && l.found),
            ),
          );
        const [from, to] = [found[0], found[found.length - 1]];
        if (from && to && from !== to && row.kind !== 'Kustomization') {
          const diff = await get(
            `${entityUrl(
              'component',
              name,
            )}/values-diff?fromObject=${objectQuery(
              from.ref,
            )}&toObject=${objectQuery(to.ref)}`,
          );
          expectAsSpecified('compareValues', diff);
        }
      }
    }
    expectAsSpecified(
      'getEntityOverview',
      await get(`${entityUrl('group', 'engineering')}/overview`),
    );
    expectAsSpecified(
      'getEntityOverview',
      await get(`${entityUrl('system', 'commerce')}/overview`),
    );
    expectAsSpecified(
      'getOverview',
      await get('/api/gitops-promotion/v1/overview'),
    );

    // Errors come in Backstage's error body.
    expectAsSpecified(
      'getPromotionView',
      await get(`${entityUrl('component', 'nope')}/promotion`),
    );
    expectAsSpecified(
      'getCellDetail',
      await get(cellPath('podinfo', 'qa', 'Release/podinfo')),
    );
    // As the OpenAPI router refuses a request the spec does not allow.
    expectAsSpecified(
      'getPromotionView',
      await get(`${entityUrl('component', '-bad-')}/promotion`),
    );

    // The demo gives every part of the answers a value to check.
    expect(views.some(v => v.clusterErrors.length > 0)).toBe(true);
    expect(views.some(v => v.annotationProblems.length > 0)).toBe(true);
    const summaries = views.flatMap(v => v.workloads.flatMap(r => r.cells));
    expect(summaries.some(c => c.attention.length > 0)).toBe(true);
    expect(summaries.some(c => c.retry)).toBe(true);
    expect(
      views.some(v =>
        v.workloads.some(r => r.promotions.some(p => p.behindBy)),
      ),
    ).toBe(true);
    const clusters = cells.flatMap(c => c.cell.clusters);
    expect(clusters.some(c => c.rootCause)).toBe(true);
    expect(clusters.some(c => c.chain.some(l => l.remediation))).toBe(true);
    expect(clusters.some(c => c.chain.some(l => l.facts.length > 0))).toBe(
      true,
    );
    expect([...checked].sort()).toEqual([
      'compareValues 200',
      'getAllowedActions 200',
      'getCellDetail 200',
      'getCellDetail 404',
      'getEntityOverview 200',
      'getObjectDetails 200',
      'getOverview 200',
      'getPromotionHistory 200',
      'getPromotionView 200',
      'getPromotionView 400',
      'getPromotionView 404',
    ]);
  });
  it('holds for a cell whose clusters come in brief', async () => {
    const development = ['dev-01', 'dev-02', 'dev-03', 'dev-04'];
    await withFleet({ 'dev-eu': development }, async dir => {
      const server = await startDemo(
        [],
        demoConfig({
          environments: [{ name: 'development', clusters: development }],
          fixtures: { directory: dir },
        }),
      );
      const path = cellPath('podinfo', 'development', 'Release/podinfo');
      for (const query of ['', '?cluster=dev-02']) {
        const res = await request(server).get(`${path}${query}`);
        expectAsSpecified('getCellDetail', res);
        const detail: CellDetail = res.body;
        // Four Ready clusters: in brief, but the one asked for.
        expect(detail.inBrief.length).toBe(query ? 3 : 4);
      }
    });
  });

  it('fails on a field the spec does not name, and on a required one left out', async () => {
    const server = await startDemo();
    const res = await request(server).get(
      `${entityUrl('component', 'podinfo')}/promotion`,
    );
    expectAsSpecified('getPromotionView', res);
    const view: PromotionViewSummary = res.body;
    const cell = view.workloads[0].cells[0];
    const extra = {
      ...res,
      body: {
        ...view,
        workloads: [{ ...view.workloads[0], cells: [{ ...cell, extra: 1 }] }],
      },
    };
    expect(() =>
      expectAsSpecified('getPromotionView', extra as request.Response),
    ).toThrow(/must NOT have additional properties/);
    const { state, ...stateless } = cell;
    const missing = {
      ...res,
      body: {
        ...view,
        workloads: [{ ...view.workloads[0], cells: [stateless] }],
      },
    };
    expect(() =>
      expectAsSpecified('getPromotionView', missing as request.Response),
    ).toThrow(/must have required property 'state'/);
  });
});
