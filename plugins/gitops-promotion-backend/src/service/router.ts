import { createHash } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { createHistoryRouter } from '../journal/historyRouter';
import { JournalStore } from '../journal/JournalStore';
import { AuthorizedPromotionService } from './AuthorizedPromotionService';

/**
 * A view as JSON and its strong ETag, which leaves out the time the view was
 * built. One serialization serves both: generatedAt is the view's last
 * field, so the body is the same bytes JSON.stringify(view) gives.
 */
function serializeView(view: PromotionView): { body: string; etag: string } {
  const { generatedAt, ...rest } = view;
  const json = JSON.stringify(rest);
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
  const body = `${json.slice(0, -1)},"generatedAt":${JSON.stringify(
    generatedAt,
  )}}`;
  return { body, etag };
}

const ENTITY = '/v1/entities/:namespace/:kind/:name';
/** How every route names an object of the entity's chains. */
const OBJECT = `${ENTITY}/objects/:cluster/:group/:version/:plural/:objectNamespace/:objectName`;

/**
 * The HTTP API (docs/api.md): maps requests to the authorized service,
 * whose every entry point checks who may do what; nothing here decides.
 */
export async function createRouter(options: {
  service: AuthorizedPromotionService;
  journal: JournalStore;
}): Promise<express.Router> {
  const { service, journal } = options;
  const router = Router();

  router.get(`${ENTITY}/promotion`, async (req, res) => {
    const { body, etag } = serializeView(await service.view(req, req.params));
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.type('json').send(body);
  });

  router.get(`${ENTITY}/actions`, async (req, res) => {
    res.json(await service.allowedActions(req, req.params, req.query));
  });

  router.get(`${ENTITY}/values-diff`, async (req, res) => {
    res.json(await service.valuesDiff(req, req.params, req.query));
  });

  router.get(OBJECT, async (req, res) => {
    res.json(await service.objectDetails(req, req.params));
  });

  router.post(`${OBJECT}/actions/:action`, async (req, res) => {
    res.status(202).json(await service.runAction(req, req.params));
  });

  router.use(createHistoryRouter({ service, store: journal }));

  return router;
}
