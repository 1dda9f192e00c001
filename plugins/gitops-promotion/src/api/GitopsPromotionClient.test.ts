import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { summarizeView } from '@gitops-promotion/backstage-plugin-common/server';
import { BASE_URL, buildView } from '../__testUtils__/fakeBackend';
import { paymentsScenario } from '../__testUtils__/scenarios';
import { GitopsPromotionClient } from './GitopsPromotionClient';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new GitopsPromotionClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: mockApis.fetch(),
  });

const ref = {
  cluster: 'prod eu',
  kind: 'HelmRelease' as const,
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
  namespace: 'payments',
  name: 'payments-api',
};

describe('GitopsPromotionClient', () => {
  it('encodes the entity into the path and reuses the last view on 304', async () => {
    // The page view as the backend answers it: the summary of the view.
    const view = summarizeView(buildView(paymentsScenario()));
    const seen: Array<{ path: string; ifNoneMatch: string | null }> = [];
    server.use(
      http.get(
        `${BASE_URL}/v1/entities/:ns/:kind/:name/promotion`,
        ({ request }) => {
          const ifNoneMatch = request.headers.get('If-None-Match');
          seen.push({ path: new URL(request.url).pathname, ifNoneMatch });
          return ifNoneMatch === '"a"'
            ? new HttpResponse(null, { status: 304 })
            : HttpResponse.json(view, { headers: { ETag: '"a"' } });
        },
      ),
    );
    const api = client();
    const first = await api.getPromotionView('component:team a/my#svc');
    const second = await api.getPromotionView('component:team a/my#svc');
    expect(second).toBe(first);
    expect(first.workloads[0].name).toBe('payments-api');
    expect(seen).toEqual([
      {
        path: '/api/gitops-promotion/v1/entities/team%20a/component/my%23svc/promotion',
        ifNoneMatch: null,
      },
      {
        path: '/api/gitops-promotion/v1/entities/team%20a/component/my%23svc/promotion',
        ifNoneMatch: '"a"',
      },
    ]);
  });

  it('does not send If-None-Match when the backend sent no ETag', async () => {
    const view = summarizeView(buildView(paymentsScenario()));
    const headers: Array<string | null> = [];
    server.use(
      http.get(
        `${BASE_URL}/v1/entities/:ns/:kind/:name/promotion`,
        ({ request }) => {
          headers.push(request.headers.get('If-None-Match'));
          return HttpResponse.json(view);
        },
      ),
    );
    const api = client();
    await api.getPromotionView('component:default/payments-api');
    await api.getPromotionView('component:default/payments-api');
    expect(headers).toEqual([null, null]);
  });

  it('throws a ResponseError with the server message', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/entities/:ns/:kind/:name/promotion`, () =>
        HttpResponse.json(
          // As Backstage's error handler answers.
          {
            error: { name: 'NotFoundError', message: 'no entity x' },
            request: {
              method: 'GET',
              url: '/api/gitops-promotion/v1/entities/default/component/x/promotion',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client()
      .getPromotionView('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('no entity x');
  });

  it('names objects the same way in every route, under the entity', async () => {
    const calls: string[] = [];
    const record = ({ request }: { request: Request }) => {
      calls.push(`${request.method} ${request.url}`);
    };
    const entity = `${BASE_URL}/v1/entities/:ns/:kind/:name`;
    const object = `${entity}/objects/:cluster/:group/:version/:plural/:objectNamespace/:objectName`;
    server.use(
      http.get(object, args => {
        record(args);
        return HttpResponse.json({ ref, events: [] });
      }),
      http.get(`${entity}/actions`, args => {
        record(args);
        return HttpResponse.json({ entityRef: 'x', links: [] });
      }),
      http.get(`${entity}/values-diff`, args => {
        record(args);
        return HttpResponse.json({ changedKeys: [] });
      }),
      http.post(`${object}/actions/:action`, async args => {
        record(args);
        expect(await args.request.text()).toBe('');
        return HttpResponse.json({ message: 'ok' }, { status: 202 });
      }),
    );
    const api = client();
    const entityRef = 'component:default/payments-api';
    await expect(api.getObjectDetails(ref, entityRef)).resolves.toMatchObject({
      ref,
    });
    await api.getAllowedActions(entityRef, 'prod');
    await api.compareValues(entityRef, ref, { ...ref, cluster: 'staging' });
    await expect(api.runAction(entityRef, 'suspend', ref)).resolves.toEqual({
      message: 'ok',
    });
    const path =
      'prod%20eu/helm.toolkit.fluxcd.io/v2/helmreleases/payments/payments-api';
    expect(calls).toEqual([
      `GET ${BASE_URL}/v1/entities/default/component/payments-api/objects/${path}`,
      `GET ${BASE_URL}/v1/entities/default/component/payments-api/actions?environment=prod`,
      `GET ${BASE_URL}/v1/entities/default/component/payments-api/values-diff?fromObject=${encodeURIComponent(
        'prod eu/helm.toolkit.fluxcd.io/v2/helmreleases/payments/payments-api',
      )}&toObject=${encodeURIComponent(
        'staging/helm.toolkit.fluxcd.io/v2/helmreleases/payments/payments-api',
      )}`,
      `POST ${BASE_URL}/v1/entities/default/component/payments-api/objects/${path}/actions/suspend`,
    ]);
  });
});
