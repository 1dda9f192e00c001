import { mockApis } from '@backstage/frontend-test-utils';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../translation';

/** The plugin's `t` with its default (English) messages, for pure helpers. */
export function defaultT(): GitopsPromotionT {
  const snapshot = mockApis
    .translation()
    .getTranslation(gitopsPromotionTranslationRef);
  if (!snapshot.ready) throw new Error('default messages not ready');
  return snapshot.t;
}
