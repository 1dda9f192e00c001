import { ObjectDetails } from '@gitops-promotion/backstage-plugin-common';
import { stringify } from 'yaml';

/**
 * What a workload runs with, as one document: a HelmRelease's values; for
 * a KuboCD Release, its parameters and the values it rendered into each of
 * its HelmReleases (named without namespace, so environments line up).
 */
export function valuesDocument(
  workload: ObjectDetails,
  helmReleases: ObjectDetails[],
): unknown {
  if (workload.ref.kind !== 'Release') {
    return workload.object.spec?.values ?? {};
  }
  return {
    parameters: workload.object.spec?.parameters ?? {},
    helmReleases: Object.fromEntries(
      helmReleases.map(hr => [hr.ref.name, hr.object.spec?.values ?? {}]),
    ),
  };
}

/** YAML with sorted keys, so only real differences show in a diff. */
export function valuesYaml(document: unknown): string {
  return stringify(document, { sortMapEntries: true });
}
