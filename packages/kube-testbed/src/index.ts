/**
 * Real kube-apiserver + etcd control planes with the Flux and KuboCD CRDs,
 * a fixture seeder and scenario helpers. See docs/kube-testbed.md.
 */
export { kubeBinaries } from './binaries';
export { PACKAGE_DIR, repoRoot } from './paths';
export type { KubeBinaries } from './binaries';
export { TESTBED_USERS } from './auth';
export type { ClusterAccess, TestbedTokens } from './auth';
export { startControlPlane, startControlPlanes } from './controlPlane';
export type { ControlPlane, ControlPlaneOptions } from './controlPlane';
export { CRD_DIR, defaultCrdFiles, installCrds, LEGACY_CRDS } from './crds';
export { readFixtureObjects, readYamlObjects } from './fixtures';
export { KubeApiError, KubeRest } from './kubeRest';
export type { KubeObject, KubeTarget, ObjectRef } from './kubeRest';
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
