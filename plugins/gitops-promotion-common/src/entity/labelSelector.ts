/**
 * Kubernetes label selectors (apimachinery's labels.Parse syntax):
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by
 * commas. Parsed and validated here so a bad annotation never reaches a
 * cluster, and matched in memory against cached objects.
 *
 * Hand-written on purpose: @kubernetes/client-node only formats selectors
 * for a request, and no maintained JavaScript package parses the full
 * set-based syntax into requirements that can be matched against a cache
 * and explained term by term. Keys and values are checked with the catalog
 * model's Kubernetes validators.
 */

import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';
import { ownValue } from '../util/ownValue';

/** @public */
export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

/** @public */
export class LabelSelectorError extends Error {}

function checkKey(key: string): string {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    !CommonValidatorFunctions.isValidDnsSubdomain(prefix)
  ) {
    throw new LabelSelectorError(
      `"${key}": the key prefix must be a DNS subdomain`,
    );
  }
  if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
    throw new LabelSelectorError(
      `"${key}": a label key is at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (!KubernetesValidatorFunctions.isValidLabelValue(value)) {
    throw new LabelSelectorError(
      `"${value}": a label value is empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new LabelSelectorError('unbalanced ")"');
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) throw new LabelSelectorError('unbalanced "("');
  terms.push(current.trim());
  return terms;
}

function parseTerm(term: string): LabelRequirement {
  if (term === '') {
    throw new LabelSelectorError('empty requirement');
  }
  const set = term.match(/^(\S+)\s+(in|notin)\s*\((.*)\)$/);
  if (set) {
    const values = set[3].split(',').map(v => checkValue(v.trim()));
    return { key: checkKey(set[1]), op: set[2] as 'in' | 'notin', values };
  }
  const equality = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/);
  if (equality) {
    const op = equality[2] === '!=' ? 'notin' : 'in';
    return {
      key: checkKey(equality[1]),
      op,
      values: [checkValue(equality[3])],
    };
  }
  if (term.startsWith('!')) {
    return { key: checkKey(term.slice(1).trim()), op: 'doesnotexist' };
  }
  if (/^\S+$/.test(term)) {
    return { key: checkKey(term), op: 'exists' };
  }
  throw new LabelSelectorError(`cannot parse "${term}"`);
}

/**
 * Parses a label selector; throws LabelSelectorError naming the bad part.
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') {
    throw new LabelSelectorError('the selector is empty');
  }
  return splitTerms(selector).map(parseTerm);
}

/** @public */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  return requirements.every(r => {
    const value = labels && ownValue(labels, r.key);
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case 'doesnotexist':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      default:
        return value === undefined || !r.values.includes(value);
    }
  });
}
