import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { clipText } from '@gitops-promotion/backstage-plugin-common/server';
import {
  EnvironmentCell,
  PromotionView,
  WorkloadRow,
} from '@gitops-promotion/backstage-plugin-common';
import { AuthorizedObjectActions } from '../../service/AuthorizedObjectActions';
import { AuthorizedPromotionService } from '../../service/AuthorizedPromotionService';
import { PromotionAuditing } from '../../service/auditing';
import { EntityParams } from '../../service/params';
import { nameSome } from '../../text/nameSome';

/** What every action of this plugin runs with. */
export interface PromotionActionsContext {
  service: AuthorizedPromotionService;
  actions: AuthorizedObjectActions;
  auditing: PromotionAuditing;
}

/**
 * Text read from a cluster or the catalog, bounded before it reaches an
 * assistant (messages of controllers and events can be long and are not
 * ours to trust), a URL's password replaced before the cut.
 */
export function bounded(value: string | undefined, max = 1024) {
  return value === undefined ? undefined : clipText(value, max);
}

/**
 * The first `max` items, and how many more there are: an assistant's
 * answer stays readable whatever size the fleet or the catalog has.
 */
export function firstOf<T>(
  items: T[],
  max: number,
): { items: T[]; omitted?: number } {
  return items.length > max
    ? { items: items.slice(0, max), omitted: items.length - max }
    : { items };
}

/**
 * The `entityRef` input every action takes, as read by {@link entityParamsOf}:
 * `entityRefInput(z.string())`.
 */
export function entityRefInput<
  S extends { min(n: number): S; max(n: number): S; describe(d: string): S },
>(string: S): S {
  return string
    .min(1)
    .max(400)
    .describe(
      'Entity ref, kind:namespace/name (kind defaults to component, namespace to default)',
    );
}

const validator = makeValidator();

/**
 * An entity ref as a person writes it (`group:team-a`, or `team-a` with
 * `defaultKind` group), each part held to the catalog's rules: a name such
 * as `..` would otherwise reach the catalog's URLs as a path segment.
 */
export function entityRefOf(
  value: string,
  options: { defaultKind: string; field: string },
): CompoundEntityRef {
  const { defaultKind, field } = options;
  let ref: CompoundEntityRef | undefined;
  try {
    ref = parseEntityRef(value, { defaultKind, defaultNamespace: 'default' });
  } catch {
    ref = undefined;
  }
  if (
    !ref ||
    !validator.isValidKind(ref.kind) ||
    !validator.isValidNamespace(ref.namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    throw new InputError(
      `${field} "${bounded(
        value,
        200,
      )}" is not an entity ref; write ${defaultKind}:namespace/name (letters, digits, '-', '_', '.'), for example ${defaultKind}:default/shop, or just the name`,
    );
  }
  return ref;
}

/** The `entityRef` input of an action (kind defaults to component). */
export function entityParamsOf(entityRef: string): EntityParams {
  return entityRefOf(entityRef, {
    defaultKind: 'component',
    field: 'entityRef',
  });
}

/** The caller of an action, as the authorization wrapper takes it. */
export const callerOf = (credentials: BackstageCredentials) => ({
  credentials,
});

/**
 * A view that says something: an entity without this plugin's (or the
 * Kubernetes plugin's) annotations has nothing to answer about.
 */
export function requireSelectors(view: PromotionView): PromotionView {
  if (view.selectors.length === 0) {
    const problems = view.annotationProblems
      .map(p => `${p.annotation}: ${bounded(p.message, 300)}`)
      .join('; ');
    throw new InputError(
      problems
        ? `${view.entityRef} has no usable gitops-promotion annotation (${problems})`
        : `${view.entityRef} has no gitops-promotion annotation (gitops-promotion/helm-releases, gitops-promotion/kustomizations, gitops-promotion/kubocd-releases, gitops-promotion/label-selector or backstage.io/kubernetes-id): there is nothing to report for it`,
    );
  }
  return view;
}

/** The row of a workload named by an action's input. */
export function workloadOf(
  view: PromotionView,
  name: string,
  kind?: string,
): WorkloadRow {
  const rows = view.workloads.filter(
    w => w.name === name && (kind === undefined || w.kind === kind),
  );
  if (rows.length === 0) {
    // A label selector may match hundreds: the message names twenty.
    const known = nameSome(
      view.workloads.map(w => `${w.kind} ${w.name}`),
      20,
    );
    throw new InputError(
      `${view.entityRef} has no workload ${kind ? `${kind} ` : ''}"${bounded(
        name,
        200,
      )}"; its workloads: ${known || 'none found in the clusters'}`,
    );
  }
  if (rows.length > 1) {
    throw new InputError(
      `${view.entityRef} has several workloads named "${bounded(
        name,
        200,
      )}" (${rows.map(r => r.kind).join(', ')}); give its kind`,
    );
  }
  return rows[0];
}

/** The cell of a workload in an environment named by an action's input. */
export function cellOf(
  view: PromotionView,
  row: WorkloadRow,
  environment: string,
): EnvironmentCell {
  const cell = row.cells.find(c => c.environment === environment);
  if (!cell) {
    throw new InputError(
      `Unknown environment "${bounded(
        environment,
        200,
      )}"; use one of ${view.environments.map(e => e.name).join(', ')}`,
    );
  }
  return cell;
}
