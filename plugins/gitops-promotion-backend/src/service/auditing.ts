import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { Caller, Request } from './caller';
import { EntityParams, ObjectParams } from './params';

/** Caps what a request can write into the audit log or an error message. */
export const clip = (value: unknown) => String(value ?? '').slice(0, 256);

/** The principal an audit event names when there is no request to read it from. */
function actorOf(credentials: BackstageCredentials): JsonObject {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return { type: clip(p.type), ref: clip(p.userEntityRef ?? p.subject) };
}

/**
 * The audited operations of the OpenAPI spec, by operationId, with their
 * event: the handlers audit under it, and the validator names the
 * operation of a request it rejects (`req.openapi.schema`), so a rejected
 * attempt is audited as that operation would have been.
 */
const OPERATION_AUDITS = {
  runAction: { eventId: 'object-action', severityLevel: 'medium' },
  getObjectDetails: { eventId: 'object-read', severityLevel: 'low' },
  compareValues: { eventId: 'object-read', severityLevel: 'low' },
} satisfies Record<
  string,
  { eventId: string; severityLevel: AuditorServiceEventSeverityLevel }
>;

export type AuditedOperation = keyof typeof OPERATION_AUDITS;

const isAudited = (operation: string): operation is AuditedOperation =>
  Object.hasOwn(OPERATION_AUDITS, operation);

/** The operation express-openapi-validator matched a request to, rejected or not. */
function operationOf(request: Request): string | undefined {
  return (
    request as Request & { openapi?: { schema?: { operationId?: string } } }
  ).openapi?.schema?.operationId;
}

export function requestedEntity(p: EntityParams): JsonObject {
  return { entityRef: clip(`${p.kind}:${p.namespace}/${p.name}`) };
}

export function requestedObject(p: ObjectParams): JsonObject {
  return {
    cluster: clip(p.cluster),
    object: clip(`${p.plural}.${p.group}/${p.version}`),
    namespace: clip(p.objectNamespace),
    name: clip(p.objectName),
  };
}

/**
 * Object reads and actions, audited from the first step, so refused (403)
 * attempts and those found invalid (400) are too; requests whose form the
 * OpenAPI spec rejects never reach a handler and are audited by the
 * router's error path (`rejected`).
 */
export class PromotionAuditing {
  /** Requests a handler audited: their errors are not audited again as rejected. */
  private readonly audited = new WeakSet<Request>();

  constructor(private readonly auditor: AuditorService) {}

  /**
   * Runs `step` inside the audit event of `operation`: success with what
   * the step noted, or failure with its error (rethrown).
   */
  async run<T>(
    caller: Caller,
    operation: AuditedOperation,
    meta: JsonObject,
    step: (note: (meta: JsonObject) => void) => Promise<T>,
  ): Promise<T> {
    if ('request' in caller) this.audited.add(caller.request);
    const event = await this.auditor.createEvent({
      ...OPERATION_AUDITS[operation],
      ...('request' in caller
        ? { request: caller.request, meta }
        : { meta: { ...meta, actor: actorOf(caller.credentials) } }),
    });
    const learned: JsonObject = {};
    try {
      const result = await step(m => Object.assign(learned, m));
      await event.success({ meta: learned });
      return result;
    } catch (error) {
      await event.fail({ error: toError(error), meta: learned });
      throw error;
    }
  }

  /**
   * An object read or action the OpenAPI spec rejected (400) before any
   * handler, audited as the attempt it was: initiated, then failed with
   * the validator's error. Requests that reached a handler were audited
   * there.
   */
  async rejected(request: Request, error: unknown): Promise<void> {
    if (this.audited.has(request)) return;
    const operation = operationOf(request);
    if (!operation || !isAudited(operation)) return;
    const event = await this.auditor.createEvent({
      ...OPERATION_AUDITS[operation],
      request,
      meta: { queryType: 'rejected', path: clip(request.path) },
    });
    await event.fail({ error: toError(error) });
  }
}
