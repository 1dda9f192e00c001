/**
 * The gitops-promotion backend plugin: watches the Flux and KuboCD objects
 * of the clusters `gitopsPromotion.environments` names and serves the
 * promotion view of catalog entities from memory. Its extension points are
 * in `@gitops-promotion/backstage-plugin-node`.
 *
 * @packageDocumentation
 */

export { gitopsPromotionPlugin as default } from './plugin';
