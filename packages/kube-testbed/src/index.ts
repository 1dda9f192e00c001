/**
 * Real kube-apiserver + etcd control planes with the Flux and KuboCD CRDs,
 * a fixture seeder and scenario helpers. See docs/kube-testbed.md.
 */
export { fluxBinaries, kubeBinaries } from './binaries';
export { CRD_DIR, PACKAGE_DIR, repoRoot } from './paths';
export type { FluxBinaries, KubeBinaries } from './binaries';
export { asAdmin, TESTBED_USERS } from './auth';
export type { AuditEvent } from './audit';
export type { ClusterAccess, TestbedTokens } from './auth';
export { startControlPlane, startControlPlanes } from './controlPlane';
export type { ControlPlane, ControlPlaneOptions } from './controlPlane';
export {
  defaultCrdFiles,
  seededCrdFiles,
  expireWatches,
  installCrds,
  LEGACY_CRDS,
} from './crds';
export { readFixtureObjects } from './fixtures';
export { freezeApiServer } from './freeze';
export { freePort } from './ports';
export {
  apiRefOf,
  kubeConfig,
  KubeClient,
  mapConcurrent,
  withKubeClient,
} from './kubeClient';
export type { KubeObject, KubeTarget, ObjectRef } from './kubeClient';
export {
  API_VERSIONS,
  applyObjects,
  createMany,
  patchStatus,
  seedFixtures,
} from './seed';
export {
  FLUX_CONTROLLERS,
  FLUX_NAMESPACE,
  fluxCrdFiles,
  startFluxControllers,
} from './flux/controllers';
export type {
  FluxControllerName,
  FluxControllerOptions,
  FluxControllers,
} from './flux/controllers';
export {
  fluxArtifact,
  kuboCdPackage,
  packageChart,
  KUBOCD_PACKAGE_CONTENT,
} from './flux/archives';
export type {
  ChartArchive,
  ChartSpec,
  PackageModuleSpec,
} from './flux/archives';
export { startGitServer } from './flux/gitServer';
export type { GitServer } from './flux/gitServer';
export { startHelmRepositoryServer } from './flux/helmRepository';
export type { Credentials, HelmRepositoryServer } from './flux/helmRepository';
export { REGISTRY_PULL_CREDENTIALS, startRegistry } from './flux/registry';
export type { OciArtifact, OciRegistry } from './flux/registry';
export { startKuboCdStandIn } from './flux/kubocd';
export type { KuboCdStandIn } from './flux/kubocd';
export {
  SOURCE_CREDENTIALS,
  startFluxSources,
  startFluxTestbed,
} from './flux/testbed';
export type {
  FluxCluster,
  FluxSources,
  FluxTestbed,
  FluxTestbedOptions,
} from './flux/testbed';
export {
  basicAuthSecret,
  configMapChart,
  configMapManifest,
  gitWorkload,
  helmWorkload,
  kuboCdRelease,
  registrySecret,
} from './flux/workloads';
export { DEMO_CLUSTERS, podinfoPackage, webFrontendPackage } from './flux/demo';
