/**
 * Real kube-apiserver + etcd control planes with the Flux and KuboCD CRDs,
 * a fixture seeder and scenario helpers. See docs/kube-testbed.md.
 */
export { kubeBinaries } from './binaries';
export { PACKAGE_DIR, repoRoot } from './paths';
export type { KubeBinaries } from './binaries';
export { asAdmin, TESTBED_USERS } from './auth';
export type { AuditEvent } from './audit';
export type { ClusterAccess, TestbedTokens } from './auth';
export { startControlPlane, startControlPlanes } from './controlPlane';
export type { ControlPlane, ControlPlaneOptions } from './controlPlane';
export {
  CRD_DIR,
  defaultCrdFiles,
  expireWatches,
  installCrds,
  LEGACY_CRDS,
} from './crds';
export { readFixtureObjects } from './fixtures';
export { freezeApiServer } from './freeze';
export { freePort } from './ports';
export { kubeConfig, KubeClient, mapConcurrent } from './kubeClient';
export type { KubeObject, KubeTarget, ObjectRef } from './kubeClient';
export {
  API_VERSIONS,
  applyObjects,
  breakSource,
  createMany,
  fixSource,
  patchStatus,
  seedFixtures,
  setCondition,
  setReleaseTag,
} from './seed';
export type { ConditionInput, SourceRef } from './seed';
