import {
  ANNOTATION_HELM_RELEASES,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_KUBOCD_RELEASES,
  ANNOTATION_KUSTOMIZATIONS,
  ANNOTATION_LABEL_SELECTOR,
  KUBERNETES_FALLBACK_ANNOTATIONS,
  PROMOTION_ANNOTATIONS,
} from '../annotations';
import { WORKLOAD_KINDS, WorkloadKind } from '../kinds';
import { AnnotationProblem, WorkloadSelector } from '../types/view';
import { LabelSelectorError, parseLabelSelector } from './labelSelector';
import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';
import { clipOneLine } from '../chain/oneLine';

const NAME_LISTS: Array<[string, WorkloadKind]> = [
  [ANNOTATION_KUBOCD_RELEASES, 'Release'],
  [ANNOTATION_HELM_RELEASES, 'HelmRelease'],
  [ANNOTATION_KUSTOMIZATIONS, 'Kustomization'],
];

/**
 * What one annotation may make a view do. The catalog bounds no annotation
 * value, and each entry costs a search in every cluster of the entity's
 * environments: the bounds keep one entity's cost, and the problems it
 * reports, small whatever its annotations hold.
 */
const MAX_LIST_LENGTH = 8192;
const MAX_LIST_ENTRIES = 100;
const MAX_SELECTOR_LENGTH = 1024;
const MAX_PROBLEMS_PER_ANNOTATION = 5;
const SHOWN_VALUE_LENGTH = 200;
const QUOTED_LENGTH = 80;

/** A problem of an annotation, quoting at most the start of its value. */
function problemOf(
  annotation: string,
  value: string,
  message: string,
): AnnotationProblem {
  return { annotation, value: clipOneLine(value, SHOWN_VALUE_LENGTH), message };
}

/** What an entity's annotations select, and the values that cannot be used. @public */
export interface EntitySelectors {
  selectors: WorkloadSelector[];
  problems: AnnotationProblem[];
}

function parseNameList(
  annotation: string,
  value: string,
  kind: WorkloadKind,
  out: EntitySelectors,
) {
  const problem = (message: string) =>
    out.problems.push(problemOf(annotation, value, message));
  if (value.length > MAX_LIST_LENGTH) {
    problem(
      `${value.length} characters, more than the ${MAX_LIST_LENGTH} read: list fewer workloads, or select them with a label selector`,
    );
    return;
  }
  const entries = value.split(',').map(e => e.trim());
  if (entries.length > MAX_LIST_ENTRIES) {
    problem(
      `${entries.length} entries, more than the ${MAX_LIST_ENTRIES} read: select this many workloads with a label selector`,
    );
    return;
  }
  let unusable = 0;
  for (const entry of entries) {
    const parts = entry.split('/');
    const [namespace, name] =
      parts.length === 2 ? parts : [undefined, parts[0]];
    let message: string | undefined;
    if (entry === '') {
      message = 'an empty entry: write a comma list of [namespace/]name';
    } else if (parts.length > 2) {
      message = `"${clipOneLine(
        entry,
        QUOTED_LENGTH,
      )}" has more than one "/": write [namespace/]name`;
    } else if (
      namespace !== undefined &&
      !CommonValidatorFunctions.isValidDnsLabel(namespace)
    ) {
      message = `"${clipOneLine(
        namespace,
        QUOTED_LENGTH,
      )}" is not a valid namespace (lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit)`;
    } else if (!CommonValidatorFunctions.isValidDnsSubdomain(name)) {
      message = `"${clipOneLine(
        name,
        QUOTED_LENGTH,
      )}" is not a valid ${kind} name (lowercase letters, digits, '-' and '.', at most 253, starting and ending with a letter or digit)`;
    }
    if (!message) {
      out.selectors.push({ kind, namespace, name, annotation });
    } else if (++unusable <= MAX_PROBLEMS_PER_ANNOTATION) {
      problem(message);
    }
  }
  if (unusable > MAX_PROBLEMS_PER_ANNOTATION) {
    problem(
      `and ${
        unusable - MAX_PROBLEMS_PER_ANNOTATION
      } more entries that cannot be used`,
    );
  }
}

function parseSelector(
  annotation: string,
  value: string,
  namespace: string | undefined,
  out: EntitySelectors,
  selector = value,
) {
  if (selector.length > MAX_SELECTOR_LENGTH) {
    out.problems.push(
      problemOf(
        annotation,
        value,
        `${selector.length} characters, more than the ${MAX_SELECTOR_LENGTH} a label selector may have here`,
      ),
    );
    return;
  }
  try {
    parseLabelSelector(selector);
  } catch (e) {
    if (!(e instanceof LabelSelectorError)) throw e;
    out.problems.push(
      problemOf(
        annotation,
        value,
        `not a valid Kubernetes label selector: ${clipOneLine(
          e.message,
          SHOWN_VALUE_LENGTH,
        )}`,
      ),
    );
    return;
  }
  for (const kind of WORKLOAD_KINDS) {
    out.selectors.push({
      kind,
      namespace,
      labelSelector: selector.trim(),
      annotation,
    });
  }
}

/**
 * Reads an entity's annotations into workload selectors, validating every
 * value (DNS-1123 names, a parseable label selector) so nothing unvalidated
 * reaches a cluster. The Kubernetes plugin's annotations are read only when
 * none of this plugin's is set: `backstage.io/kubernetes-label-selector`
 * wins over `backstage.io/kubernetes-id` (which selects the label
 * `backstage.io/kubernetes-id=<id>`), and `backstage.io/kubernetes-namespace`
 * restricts them to a namespace, as in the Kubernetes plugin.
 * @public
 */
export function entitySelectors(
  annotations: Record<string, string> | undefined,
): EntitySelectors {
  const out: EntitySelectors = { selectors: [], problems: [] };
  const get = (key: string) => annotations?.[key]?.trim() || undefined;

  if (PROMOTION_ANNOTATIONS.some(a => get(a) !== undefined)) {
    for (const [annotation, kind] of NAME_LISTS) {
      const value = get(annotation);
      if (value) parseNameList(annotation, value, kind, out);
    }
    const selector = get(ANNOTATION_LABEL_SELECTOR);
    if (selector)
      parseSelector(ANNOTATION_LABEL_SELECTOR, selector, undefined, out);
    return out;
  }

  const namespace = get(ANNOTATION_KUBERNETES_NAMESPACE);
  if (
    namespace !== undefined &&
    !CommonValidatorFunctions.isValidDnsLabel(namespace)
  ) {
    out.problems.push(
      problemOf(
        ANNOTATION_KUBERNETES_NAMESPACE,
        namespace,
        `"${clipOneLine(namespace, QUOTED_LENGTH)}" is not a valid namespace`,
      ),
    );
    return out;
  }
  const labelSelector = get(ANNOTATION_KUBERNETES_LABEL_SELECTOR);
  const id = get(ANNOTATION_KUBERNETES_ID);
  if (labelSelector) {
    parseSelector(
      ANNOTATION_KUBERNETES_LABEL_SELECTOR,
      labelSelector,
      namespace,
      out,
    );
  } else if (id) {
    // A label value, not selector syntax: `a,!team` would add requirements.
    if (KubernetesValidatorFunctions.isValidLabelValue(id.trim())) {
      parseSelector(
        ANNOTATION_KUBERNETES_ID,
        id,
        namespace,
        out,
        `${ANNOTATION_KUBERNETES_ID}=${id.trim()}`,
      );
    } else {
      out.problems.push(
        problemOf(
          ANNOTATION_KUBERNETES_ID,
          id,
          'not a valid Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)',
        ),
      );
    }
  }
  return out;
}

/**
 * Whether an entity carries an annotation the tab can use: one of this
 * plugin's, or the Kubernetes plugin's workload annotations.
 * @public
 */
export function hasPromotionAnnotations(
  annotations: Record<string, string> | undefined,
): boolean {
  return [...PROMOTION_ANNOTATIONS, ...KUBERNETES_FALLBACK_ANNOTATIONS].some(
    a => !!annotations?.[a]?.trim(),
  );
}
