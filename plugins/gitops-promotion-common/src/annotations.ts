import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';

/** Comma list of `[namespace/]name` of KuboCD Releases. @public */
export const ANNOTATION_KUBOCD_RELEASES = 'gitops-promotion/kubocd-releases';
/** Comma list of `[namespace/]name` of Flux HelmReleases. @public */
export const ANNOTATION_HELM_RELEASES = 'gitops-promotion/helm-releases';
/** Comma list of `[namespace/]name` of Flux Kustomizations. @public */
export const ANNOTATION_KUSTOMIZATIONS = 'gitops-promotion/kustomizations';
/** A Kubernetes label selector for Releases, HelmReleases and Kustomizations. @public */
export const ANNOTATION_LABEL_SELECTOR = 'gitops-promotion/label-selector';

/** The Kubernetes plugin's annotations, read when none of ours is set. @public */
export const ANNOTATION_KUBERNETES_ID = KUBERNETES_ANNOTATION;
/** @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION;
/** @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** This plugin's own annotations. @public */
export const PROMOTION_ANNOTATIONS = [
  ANNOTATION_KUBOCD_RELEASES,
  ANNOTATION_HELM_RELEASES,
  ANNOTATION_KUSTOMIZATIONS,
  ANNOTATION_LABEL_SELECTOR,
];

/** The Kubernetes plugin's annotations that select workloads. @public */
export const KUBERNETES_FALLBACK_ANNOTATIONS = [
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
];
