import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import { historyPage } from '../journal/historyPage';
import { JournalStore } from '../journal/JournalStore';
import { createOpenApiRouter } from '../schema/openapi';
import { answerText } from '../text/answerText';
import { PromotionAuditing } from './auditing';
import { AuthorizedObjectActions } from './AuthorizedObjectActions';
import {
  AuthorizedPromotionService,
  OverviewBounds,
} from './AuthorizedPromotionService';

/**
 * An answer's JSON text as {@link answerText} leaves it (no bidirectional
 * controls, no URL passwords): every answer goes through it.
 */
function jsonText(answer: unknown): string {
  return answerText(JSON.stringify(answer));
}

/**
 * Answers with JSON text (jsonText), typed as the route's answer: not
 * stored by a browser or a proxy (object details carry values), and
 * without the ETag Express's send would add, which the spec does not
 * declare for these routes (a POST's answer has no use for one).
 */
function sendJson<T>(res: express.Response<T>, answer: T) {
  (res as express.Response)
    .type('json')
    .setHeader('Cache-Control', 'no-store')
    .end(jsonText(answer));
}

/**
 * An answer as JSON and its strong ETag, which leaves out the time the
 * answer was built. One serialization serves both: generatedAt is the
 * answer's last field, so the body is the same bytes JSON.stringify gives.
 */
function serialize(answer: { generatedAt: string }): {
  body: string;
  etag: string;
} {
  const { generatedAt, ...rest } = answer;
  const json = jsonText(rest);
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
  const body = `${json.slice(0, -1)},"generatedAt":${JSON.stringify(
    generatedAt,
  )}}`;
  return { body, etag };
}

/** Catalog entities per page, the most one overview looks at, and its rows. */
const OVERVIEW_BOUNDS: OverviewBounds = {
  batchSize: 200,
  maxEntities: 2000,
  maxRows: 5000,
};
/** Answers with an ETag, or 304 when the caller holds the current answer. */
function sendTagged(
  req: express.Request,
  res: express.Response,
  answer: { generatedAt: string },
) {
  const { body, etag } = serialize(answer);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  // Express's freshness check: a list of tags, weak ones (W/"…", as a
  // compressing proxy makes them) and * match as HTTP says.
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  // The body is already JSON (serialized once for the ETag and the answer).
  res.type('json').end(body);
}

/**
 * The HTTP API, as src/schema/openapi.yaml describes it (docs/api.md is
 * checked against it): the generated router validates every request
 * against the spec (400 naming the parameter and rule) before it reaches a
 * handler; handlers map requests to the authorized services (reads and
 * actions), whose every entry point checks who may do what; nothing here
 * decides.
 */
export async function createRouter(options: {
  service: AuthorizedPromotionService;
  actions: AuthorizedObjectActions;
  auditing: PromotionAuditing;
  journal: JournalStore;
  logger: LoggerService;
}): Promise<express.Router> {
  const { service, actions, auditing, journal, logger } = options;
  const router = await createOpenApiRouter();

  router.get(
    '/v1/entities/:namespace/:kind/:name/promotion',
    async (req, res) => {
      sendTagged(
        req,
        res,
        await service.pageView({ request: req }, req.params),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/cells/:environment/:workloadKind/:workloadName',
    async (req, res) => {
      sendTagged(
        req,
        res,
        await service.cell({ request: req }, req.params, req.query),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/overview',
    async (req, res) => {
      sendTagged(
        req,
        res,
        await service.overview({ request: req }, req.params, OVERVIEW_BOUNDS),
      );
    },
  );

  router.get('/v1/overview', async (req, res) => {
    sendTagged(
      req,
      res,
      await service.overview({ request: req }, undefined, OVERVIEW_BOUNDS),
    );
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/actions',
    async (req, res) => {
      sendJson(
        res,
        await actions.allowedActions({ request: req }, req.params, req.query),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/values-diff',
    async (req, res) => {
      sendJson(
        res,
        await service.valuesDiff({ request: req }, req.params, req.query),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/objects/:cluster/:group/:version/:plural/:objectNamespace/:objectName',
    async (req, res) => {
      sendJson(res, await service.objectDetails({ request: req }, req.params));
    },
  );

  router.post(
    '/v1/entities/:namespace/:kind/:name/objects/:cluster/:group/:version/:plural/:objectNamespace/:objectName/actions/:action',
    async (req, res) => {
      sendJson(
        res.status(202),
        await actions.runAction({ request: req }, req.params),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/history',
    async (req, res) => {
      sendJson(
        res,
        await historyPage(
          { service, store: journal, logger },
          { request: req },
          req.params,
          req.query,
        ),
      );
    },
  );

  // The spec rejects a malformed request before any handler: an attempt to
  // read an object or act on one is audited all the same. The request then
  // fails with its own error, or the auditor's, as an audited one would.
  router.use(
    (
      error: unknown,
      req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      auditing.rejected(req, error).then(() => next(error), next);
    },
  );

  return router;
}
