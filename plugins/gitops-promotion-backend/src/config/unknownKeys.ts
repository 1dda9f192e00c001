import { Config } from '@backstage/config';

/**
 * The keys of each tuning section of `gitopsPromotion`, as config.d.ts
 * declares them (a test holds the two together), deprecated ones included.
 */
export const SECTION_KEYS: Record<string, readonly string[]> = {
  fixtures: ['directory'],
  catalogClusters: ['refreshInterval'],
  watch: [
    'pageSize',
    'requestTimeout',
    'initialBackoff',
    'maxBackoff',
    'discoveryInterval',
    'idleProbe',
    'requestTimeoutSeconds',
    'initialBackoffSeconds',
    'maxBackoffSeconds',
    'discoveryIntervalSeconds',
    'idleProbeSeconds',
  ],
  journal: ['retention'],
  notifications: ['enabled', 'delay', 'minInterval', 'tabPath'],
  onDemand: ['concurrency', 'maxQueued', 'cache', 'cacheSeconds'],
};

/**
 * What is wrong with the tuning sections' keys: a misspelt key
 * (`requestTimeoutMs`, `concurency`) would otherwise leave its default in
 * place without a word. Warned, not refused: the defaults work, and a
 * portal does not stop for a tuning typo.
 */
export function unknownKeyWarnings(config: Config): string[] {
  return Object.entries(SECTION_KEYS).flatMap(([section, known]) => {
    const path = `gitopsPromotion.${section}`;
    const unknown = (config.getOptionalConfig(path)?.keys() ?? []).filter(
      k => !known.includes(k),
    );
    return unknown.length > 0
      ? [
          `${path}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(
            ', ',
          )} ignored; the keys are ${known
            .filter(k => !k.endsWith('Seconds'))
            .join(', ')}`,
        ]
      : [];
  });
}
