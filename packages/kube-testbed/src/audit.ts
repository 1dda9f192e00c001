import fs from 'node:fs';
import path from 'node:path';
import { TESTBED_USERS } from './auth';

/**
 * One line of kube-apiserver's audit log (audit.k8s.io/v1 Event, level
 * Metadata): which request a client made and how it was answered.
 */
export interface AuditEvent {
  /** ResponseStarted (a watch began streaming) or ResponseComplete. */
  stage: string;
  /** get, list, watch, create, patch, update, ... */
  verb: string;
  /** Path and query as sent, e.g. /apis/g/v/releases?limit=100&continue=… */
  requestURI: string;
  user: { username: string };
  objectRef?: {
    resource?: string;
    apiGroup?: string;
    apiVersion?: string;
    namespace?: string;
    name?: string;
  };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
}

/**
 * Writes an audit policy that records, at Metadata level, every request of
 * the reader, restricted and operator users (what a plugin under test does), and
 * returns the kube-apiserver flags that enable it. The admin's seeding and
 * scenarios stay out of the log.
 */
export function auditArgs(dir: string): { args: string[]; logFile: string } {
  const policyFile = path.join(dir, 'audit-policy.yaml');
  const logFile = path.join(dir, 'audit.log');
  fs.writeFileSync(
    policyFile,
    JSON.stringify({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [
        {
          level: 'Metadata',
          users: [
            TESTBED_USERS.reader,
            TESTBED_USERS.restricted,
            TESTBED_USERS.operator,
          ],
        },
        { level: 'None' },
      ],
    }),
  );
  // The defaults write one JSON event a line, synchronously (mode blocking).
  return {
    args: [`--audit-policy-file=${policyFile}`, `--audit-log-path=${logFile}`],
    logFile,
  };
}

/** The events of an audit log file so far (none if it was not written yet). */
export function readAuditLog(logFile: string): AuditEvent[] {
  if (!fs.existsSync(logFile)) {
    return [];
  }
  return fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line));
}
