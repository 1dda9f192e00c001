import { KubeObject } from './types/objects';

/** The kinds whose objects can be a row of the promotion matrix. @public */
export type WorkloadKind = 'Release' | 'HelmRelease' | 'Kustomization';

/** The Flux sources the plugin reads. @public */
export type SourceKind =
  | 'GitRepository'
  | 'OCIRepository'
  | 'HelmRepository'
  | 'HelmChart'
  | 'Bucket'
  | 'ExternalArtifact';

/** Every kind the backend watches. @public */
export type ObjectKind = WorkloadKind | SourceKind;

/** How to reach a kind on the Kubernetes API. @public */
export interface KindInfo {
  kind: ObjectKind;
  group: string;
  plural: string;
  /**
   * Versions to read, preferred first. Later entries are beta versions with a
   * compatible shape, used when a cluster does not serve the stable one.
   */
  versions: string[];
  /** kubectl's short name, for the commands the drill-down suggests. */
  shortName?: string;
  /**
   * Installed only by some Flux versions (ExternalArtifact: Flux 2.7+): a
   * cluster without the CRD is normal, not an error to report.
   */
  optional?: boolean;
}

/** @public */
export const KUBOCD_GROUP = 'kubocd.kubotal.io';

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/**
 * The kinds and API versions of DOMAIN.md. Flux 2.8 serves only the stable
 * versions; Flux older than 2.3 only the betas.
 * @public
 */
export const KINDS: Record<ObjectKind, KindInfo> = {
  Release: {
    kind: 'Release',
    group: KUBOCD_GROUP,
    plural: 'releases',
    versions: ['v1alpha1'],
  },
  HelmRelease: {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    plural: 'helmreleases',
    versions: ['v2', 'v2beta2', 'v2beta1'],
    shortName: 'hr',
  },
  Kustomization: {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    plural: 'kustomizations',
    versions: ['v1', 'v1beta2'],
    shortName: 'ks',
  },
  GitRepository: {
    kind: 'GitRepository',
    group: SOURCE_GROUP,
    plural: 'gitrepositories',
    versions: ['v1', 'v1beta2'],
    shortName: 'gitrepo',
  },
  OCIRepository: {
    kind: 'OCIRepository',
    group: SOURCE_GROUP,
    plural: 'ocirepositories',
    versions: ['v1', 'v1beta2'],
    shortName: 'ocirepo',
  },
  HelmRepository: {
    kind: 'HelmRepository',
    group: SOURCE_GROUP,
    plural: 'helmrepositories',
    versions: ['v1', 'v1beta2'],
    shortName: 'helmrepo',
  },
  HelmChart: {
    kind: 'HelmChart',
    group: SOURCE_GROUP,
    plural: 'helmcharts',
    versions: ['v1', 'v1beta2'],
    shortName: 'hc',
  },
  Bucket: {
    kind: 'Bucket',
    group: SOURCE_GROUP,
    plural: 'buckets',
    versions: ['v1', 'v1beta2'],
  },
  ExternalArtifact: {
    kind: 'ExternalArtifact',
    group: SOURCE_GROUP,
    plural: 'externalartifacts',
    versions: ['v1'],
    shortName: 'ea',
    optional: true,
  },
};

/** All watched kinds, workloads first. @public */
export const ALL_KINDS: ObjectKind[] = Object.keys(KINDS) as ObjectKind[];

/** @public */
export const WORKLOAD_KINDS: WorkloadKind[] = [
  'Release',
  'HelmRelease',
  'Kustomization',
];

/**
 * Whether a kind read from a cluster (a sourceRef, an object's kind) is one
 * the plugin watches: an own key of {@link KINDS}, so `constructor` or
 * `toString` are not.
 */
export function isObjectKind(kind: unknown): kind is ObjectKind {
  return typeof kind === 'string' && Object.hasOwn(KINDS, kind);
}

/** Finds the kind of an object from its apiVersion and kind. @public */
export function kindOf(obj: KubeObject): ObjectKind | undefined {
  if (!isObjectKind(obj.kind)) {
    return undefined;
  }
  const info = KINDS[obj.kind];
  const group = obj.apiVersion?.split('/')[0];
  return group === undefined || group === info.group ? info.kind : undefined;
}

/** @public */
export function findKindByPlural(
  group: string,
  plural: string,
): KindInfo | undefined {
  return Object.values(KINDS).find(
    k => k.group === group && k.plural === plural,
  );
}
