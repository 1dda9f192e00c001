import dns, { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { LookupFunction } from 'node:net';
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

/** A host name as the checks compare it: lower case, IPv6 literals without brackets. */
export function normalizedHost(hostname: string): string {
  return hostname.toLocaleLowerCase('en-US').replace(/^\[|\]$/g, '');
}

/** The error code of a connection publicOnlyLookup refused (errors.ts words it). */
export const REFUSED_ADDRESS = 'ERR_GITOPS_PROMOTION_ADDRESS';

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
 * or other non-public address. Resolves to whether connections must check
 * the addresses again (`publicOnly`: the host is not exempt), or rejects
 * with what is wrong.
 */
export async function checkClusterUrl(
  value: string,
  options: ClusterUrlGuardOptions,
): Promise<{ publicOnly: boolean }> {
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
  const hostname = normalizedHost(url.hostname);
  if (exempt(hostname, options.dangerouslyAllowClusterUrls)) {
    return { publicOnly: false };
  }
  if (url.protocol !== 'https:') {
    throw new Error('the API server URL must use https://');
  }
  if (ipaddr.isValid(hostname)) {
    if (isNonPublic(hostname)) {
      throw new Error(`the API server URL's address ${hostname} is not public`);
    }
    return { publicOnly: true };
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
  return { publicOnly: true };
}

/**
 * A `lookup` for the agents of a catalog cluster whose host is not exempt:
 * the addresses a connection goes to are checked when it is made, not only
 * when the URL was, so a name that resolved to a public address for the
 * check and resolves to a private one later (DNS rebinding) is refused.
 */
export const publicOnlyLookup: LookupFunction = (
  hostname,
  options,
  callback,
) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', 4);
      return;
    }
    const found = addresses as LookupAddress[];
    const refused = found.find(a => isNonPublic(a.address));
    if (refused || found.length === 0) {
      callback(
        Object.assign(
          new Error(
            `the API server URL's host ${hostname} resolves to ${
              refused ? `the non-public address ${refused.address}` : 'nothing'
            }`,
          ),
          { code: REFUSED_ADDRESS },
        ),
        '',
        4,
      );
      return;
    }
    if (options.all) {
      (callback as (e: null, a: LookupAddress[]) => void)(null, found);
    } else {
      callback(null, found[0].address, found[0].family);
    }
  });
};
