import { ObjectState } from '../types/view';

/**
 * Whether a cluster needs a look: not Ready, or its data is stale. What the
 * page view names in `attention` and the drawer shows before the Ready ones.
 * @public
 */
export function needsALook(cluster: {
  state: ObjectState;
  staleSince?: string;
}): boolean {
  return cluster.state !== 'Ready' || !!cluster.staleSince;
}
