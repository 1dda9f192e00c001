import { parseEntityRef } from '@backstage/catalog-model';

/**
 * An entity ref as people write it: without the kind when it is
 * `defaultKind`, and without the namespace when it is `default` unless
 * `namespace: 'always'` (two entities of one name must read apart).
 * Backstage's humanizeEntityRef did this; it is deprecated for display
 * names, and here the ref itself is what is meant.
 */
export function entityRefText(
  ref: string,
  options: { defaultKind: string; namespace?: 'always' },
): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  const kindPart =
    kind.toLocaleLowerCase('en-US') ===
    options.defaultKind.toLocaleLowerCase('en-US')
      ? ''
      : `${kind.toLocaleLowerCase('en-US')}:`;
  const namespacePart =
    namespace === 'default' && options.namespace !== 'always'
      ? ''
      : `${namespace}/`;
  return `${kindPart}${namespacePart}${name}`;
}
