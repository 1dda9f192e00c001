/**
 * Builders of Flux and KuboCD objects shaped as their controllers write
 * them, for tests of code that consumes the promotion view.
 *
 * @packageDocumentation
 */
export * from './objects';
