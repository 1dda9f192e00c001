import { stringify } from 'yaml';

/** YAML with sorted keys, so only real differences show in a diff. */
export function valuesYaml(document: unknown): string {
  return stringify(document, { sortMapEntries: true });
}
