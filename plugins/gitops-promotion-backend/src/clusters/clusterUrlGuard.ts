import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** What may let a catalog cluster's URL through. */
export interface ClusterUrlGuardOptions {
  /** Host names or `*.suffix` patterns exempt from the checks below. */
  dangerouslyAllowClusterUrls: string[];
}

/** The host could not be looked up: nothing is known of it yet, right or wrong. */
export class HostLookupError extends Error {}

function isNonPublic(ip: string): boolean {
  try {
    return ipaddr.parse(ip).range() !== 'unicast';
  } catch {
    return true;
  }
}

function exempt(hostname: string, patterns: string[]): boolean {
  return patterns.some(pattern => {
    const p = pattern.toLocaleLowerCase('en-US');
    return p.startsWith('*.')
      ? hostname.endsWith(p.slice(1)) || hostname === p.slice(2)
      : hostname === p;
  });
}

/**
 * Checks the API server URL of a cluster read from the catalog as the
 * Kubernetes plugin's catalog locator does (its validateClusterApiServerUrl,
 * not exported): an http(s) URL without credentials, and unless its host
 * is allowed by `dangerouslyAllowClusterUrls`, HTTPS to a host that is not
 * and does not resolve to a loopback, private, link-local (cloud metadata)
 * or other non-public address. Resolves to the URL, or rejects with what
 * is wrong.
 */
export async function checkClusterUrl(
  value: string,
  options: ClusterUrlGuardOptions,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('the API server URL is not a valid URL');
  }
  if (url.username || url.password) {
    throw new Error('the API server URL must not contain credentials');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('the API server URL must use https://');
  }
  // URL keeps IPv6 literals in brackets.
  const hostname = url.hostname
    .toLocaleLowerCase('en-US')
    .replace(/^\[|\]$/g, '');
  if (exempt(hostname, options.dangerouslyAllowClusterUrls)) return url;
  if (url.protocol !== 'https:') {
    throw new Error('the API server URL must use https://');
  }
  if (ipaddr.isValid(hostname)) {
    if (isNonPublic(hostname)) {
      throw new Error(`the API server URL's address ${hostname} is not public`);
    }
    return url;
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(hostname, { all: true });
  } catch (error) {
    throw new HostLookupError(
      `the API server URL's host ${hostname} cannot be resolved (${
        (error as NodeJS.ErrnoException).code ?? error
      }): check the backend's DNS`,
    );
  }
  if (addresses.some(a => isNonPublic(a.address))) {
    throw new Error(
      `the API server URL's host ${hostname} resolves to a non-public address`,
    );
  }
  return url;
}
