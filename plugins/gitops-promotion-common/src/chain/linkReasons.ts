/**
 * The reasons the chain walk gives a link itself, instead of one read from
 * the object: the browser tells them apart from Flux's own.
 * @public
 */
export const LINK_REASONS = {
  /** Its kind could not be read from the cluster (403, not installed, not synced yet). */
  unreadable: 'Unreadable',
  /** A KuboCD Release's child whose name is taken by an object the Release does not own. */
  notOwned: 'NotOwned',
  /** Outside the namespaces its environment is bounded to: only its name and state are shown. */
  outOfBounds: 'OutOfBounds',
} as const;
