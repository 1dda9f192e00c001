/** What a user may do to a Flux object or KuboCD Release of an entity. @public */
export type ObjectAction = 'reconcile' | 'suspend' | 'resume';

/** Every action, for validating a request. @public */
export const OBJECT_ACTIONS: ObjectAction[] = [
  'reconcile',
  'suspend',
  'resume',
];
