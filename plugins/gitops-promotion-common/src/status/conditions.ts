import { KubeCondition, KubeObject } from '../types/objects';

/** @public */
export function findCondition(
  obj: KubeObject,
  type: string,
): KubeCondition | undefined {
  return obj.status?.conditions?.find(c => c.type === type);
}
