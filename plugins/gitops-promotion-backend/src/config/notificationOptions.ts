import { Config } from '@backstage/config';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { readDurationMs } from '@gitops-promotion/backstage-plugin-common';
import {
  EnvironmentConfig,
  NotifyMode,
} from '@gitops-promotion/backstage-plugin-common/server';

/** What one environment sends, and how loud its failures are. */
export interface EnvironmentNotifications {
  mode: NotifyMode;
  severity: NotificationSeverity;
  /** As the views show it, for what is told when no view shows a workload. */
  title: string;
}

/** What `gitopsPromotion.notifications` and `environments[].notify` configure. */
export interface NotificationOptions {
  /** False: no notification task at all (a portal without the notifications backend). */
  enabled: boolean;
  /** How long a failure or a recovery lasts before it is told. */
  delayMs: number;
  /** The least time between two notifications of a scope that call for attention. */
  minIntervalMs: number;
  /** Per environment name. */
  environments: Map<string, EnvironmentNotifications>;
  /** Path segments of the Promotion tab under an entity's page, where links lead. */
  tabPath: string;
}

const MODES: NotifyMode[] = ['failures', 'changes', 'none'];
const SEVERITIES: NotificationSeverity[] = [
  'critical',
  'high',
  'normal',
  'low',
];

// Helm reports a failed rollout only after its timeout: a shorter delay
// tells failures that fix themselves.
const DEFAULT_DELAY_MS = 2 * 60_000;
const DEFAULT_MIN_INTERVAL_MS = 30 * 60_000;
// The entity content's default path (plugin.tsx, legacy.ts).
const DEFAULT_TAB_PATH = 'promotion';
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * `gitopsPromotion.notifications` and each environment's `notify` and
 * `severity`. Defaults: the first environment (sandboxes: noise) sends
 * nothing, the others their failures; the last one's failures are high,
 * the other important ones' normal, the rest low.
 */
export function readNotificationOptions(
  config: Config,
  environmentConfigs: EnvironmentConfig[],
  warn: (message: string) => void,
): NotificationOptions {
  const section = config.getOptionalConfig('gitopsPromotion.notifications');
  const duration = (key: string, defaultMs: number) =>
    readDurationMs(section, {
      path: 'gitopsPromotion.notifications',
      key,
      defaultMs,
      warn,
    });
  const entries = config.getConfigArray('gitopsPromotion.environments');
  const environments = new Map<string, EnvironmentNotifications>();
  entries.forEach((entry, i) => {
    const name = entry.getString('name');
    const where = `gitopsPromotion.environments[${i}] (${name})`;
    const mode =
      entry.getOptionalString('notify') ?? (i === 0 ? 'none' : 'failures');
    if (!MODES.includes(mode as NotifyMode)) {
      throw new Error(
        `${where}.notify must be one of ${MODES.join(', ')}; got "${mode}"`,
      );
    }
    let fallback: NotificationSeverity = 'low';
    if (i === entries.length - 1) fallback = 'high';
    else if (environmentConfigs[i].important) fallback = 'normal';
    const severity = entry.getOptionalString('severity') ?? fallback;
    if (!SEVERITIES.includes(severity as NotificationSeverity)) {
      throw new Error(
        `${where}.severity must be one of ${SEVERITIES.join(
          ', ',
        )}; got "${severity}"`,
      );
    }
    environments.set(name, {
      mode: mode as NotifyMode,
      severity: severity as NotificationSeverity,
      title: environmentConfigs[i].title ?? name,
    });
  });
  return {
    enabled: section?.getOptionalBoolean('enabled') ?? true,
    delayMs: duration('delay', DEFAULT_DELAY_MS),
    minIntervalMs: duration('minInterval', DEFAULT_MIN_INTERVAL_MS),
    environments,
    tabPath: readTabPath(section),
  };
}

/** `tabPath`: plain path segments under the entity page, no query or `..`. */
function readTabPath(section: Config | undefined): string {
  const raw = section?.getOptionalString('tabPath') ?? DEFAULT_TAB_PATH;
  const segments = raw.replace(/^\/+|\/+$/g, '').split('/');
  if (!segments.every(s => PATH_SEGMENT.test(s) && s !== '.' && s !== '..')) {
    throw new Error(
      `gitopsPromotion.notifications.tabPath must be the path of the Promotion tab under an entity's page, such as "${DEFAULT_TAB_PATH}" or "deployments/promotion" (letters, digits, '.', '_', '~', '-' between slashes); got "${raw}"`,
    );
  }
  return segments.join('/');
}
