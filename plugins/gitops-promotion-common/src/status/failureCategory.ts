import { FailureCategory, ObjectState } from '../types/view';

// Messages of source-controller, helm-controller and Go's net stack when a
// cluster cannot reach a source, and when a source rejects the credentials.
const NETWORK = [
  /dial tcp/i,
  /no such host/i,
  /connection refused/i,
  /i\/o timeout/i,
  /context deadline exceeded/i,
  /TLS handshake timeout/i,
  /network is unreachable/i,
  /connection reset by peer/i,
  /Client\.Timeout exceeded/i,
  /timeout awaiting response headers/i,
];
const AUTHENTICATION = [
  /authentication required/i,
  /authentication failed/i,
  /UNAUTHORIZED/,
  // Not a version such as 1.401.0.
  /(?<![\w.@-])401(?![\w.-])/,
  /\bDENIED\b/,
  /access denied/i,
  /invalid username or password/i,
  /could not read Username/i,
  /permission denied \(publickey\)/i,
  /unable to authenticate/i,
];
const AUTHENTICATION_REASONS = new Set(['AuthenticationFailed']);
// helm-controller's own actions: the chart came through a source already,
// so a failure is the chart, the values or the workload in this cluster (a
// Helm wait that times out says "context deadline exceeded", not a network
// problem).
const HELM_ACTION_REASONS = new Set([
  'InstallFailed',
  'UpgradeFailed',
  'TestFailed',
  'RollbackFailed',
  'UninstallFailed',
  // A failed upgrade that remediation rolled back, a failed install (or
  // upgrade) it uninstalled.
  'RollbackSucceeded',
  'UninstallSucceeded',
]);
const DEPENDENCY_REASONS = new Set(['DependencyNotReady', 'WAIT_DEPS']);

/**
 * Tells the failures worth telling apart (DOMAIN.md): the cluster cannot
 * reach the source, the source rejects the credentials, or the chart or
 * values fail in this environment. Authentication wins over network: a 401
 * message often also names the host it reached.
 * @public
 */
export function failureCategory(
  state: ObjectState,
  reason?: string,
  message?: string,
): FailureCategory {
  if (state === 'Suspended') {
    return 'suspended';
  }
  if (reason && DEPENDENCY_REASONS.has(reason)) {
    return 'dependency';
  }
  if (state === 'Progressing') {
    return 'in-progress';
  }
  if (state !== 'Failed') {
    return 'unknown';
  }
  if (reason && HELM_ACTION_REASONS.has(reason)) {
    return 'configuration';
  }
  const text = message ?? '';
  if (
    (reason && AUTHENTICATION_REASONS.has(reason)) ||
    AUTHENTICATION.some(p => p.test(text))
  ) {
    return 'authentication';
  }
  if (NETWORK.some(p => p.test(text))) {
    return 'network';
  }
  return 'configuration';
}
