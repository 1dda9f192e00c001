import { describeRef } from '../chain/refs';
import { walkChain } from '../chain/walkChain';
import { ObjectLookup } from '../store/ObjectIndex';
import {
  ChainLink,
  EnvironmentSummary,
  ObjectRef,
  PromotionView,
  WorkloadSelector,
} from '../types/view';
import { ClusterData, EnvironmentConfig } from './buildPromotionView';
import { compileSelectors, select } from './selectWorkloads';

/** A found link of an entity's chains, where it belongs. @public */
export interface LocatedLink {
  link: ChainLink;
  /** The workload whose chain holds the link (the link itself for a workload). */
  workload: ChainLink;
  /** That workload's chain in this cluster. */
  chain: ChainLink[];
  /** The environment whose clusters and namespaces hold the object. */
  environment: string;
  /** Set when the object is outside the environment's namespaces: why it may be neither read nor acted on. */
  outside?: string;
}

/** An object as an address names it: the version does not matter. */
type LinkAddress = Omit<ObjectRef, 'kind' | 'version'>;

const sameObject = (a: LinkAddress, b: LinkAddress) =>
  a.cluster === b.cluster &&
  a.group === b.group &&
  a.plural === b.plural &&
  a.namespace === b.namespace &&
  a.name === b.name;

/**
 * Why an object of a cell's chain is out of bounds: an environment that is
 * namespaces of a shared cluster bounds every object read or acted on in
 * it, shared sources of other namespaces (flux-system) included.
 */
function outsideOf(
  link: ChainLink,
  environment: string,
  namespaces?: string[],
): string | undefined {
  const ns = link.ref.namespace;
  if (!namespaces || namespaces.includes(ns)) return undefined;
  return `${describeRef(
    link.ref,
  )} is out of bounds: ${ns} is not a namespace of environment ${environment} in cluster ${
    link.ref.cluster
  } (${namespaces.join(', ')})`;
}

/** Prefer the occurrence that allows the most: in bounds, then as a workload or a Release's HelmRelease. */
function rank(l: LocatedLink): number {
  if (l.outside) return 2;
  return l.link.role === 'workload' || l.link.role === 'helmRelease' ? 0 : 1;
}

function best(found: LocatedLink[]): LocatedLink | undefined {
  return [...found].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * Finds an object among the found links of an entity's chains in one
 * cluster, walking only the chains of the workloads its selectors pick
 * there: what authorizing one read or action costs, instead of building
 * the entity's whole view. Undefined when no chain holds it.
 * @public
 */
export function locateLink(options: {
  environments: EnvironmentConfig[];
  selectors: WorkloadSelector[];
  data: ClusterData;
  ref: Omit<ObjectRef, 'kind' | 'version'>;
}): LocatedLink | undefined {
  const { environments, data, ref } = options;
  const compiled = compileSelectors(options.selectors);
  const lookup: ObjectLookup = {
    get: (kind, namespace, name) => data.store.get(kind, namespace, name),
    ownedBy: uid => data.store.ownedBy(uid),
    hasData: kind => data.hasData(kind),
  };
  const found: LocatedLink[] = [];
  for (const env of environments) {
    for (const entry of env.clusters.filter(c => c.cluster === ref.cluster)) {
      for (const c of compiled) {
        if (!data.hasData(c.selector.kind)) continue;
        for (const obj of select(data.store, c, entry.namespaces)) {
          const links = walkChain(
            c.selector.kind,
            obj,
            lookup,
            ref.cluster,
            entry.namespaces,
          ).display.map(l => l.link);
          const link = links.find(l => l.found && sameObject(l.ref, ref));
          if (!link) continue;
          found.push({
            link,
            workload: links[0],
            chain: links,
            environment: env.name,
            outside: outsideOf(link, env.name, entry.namespaces),
          });
        }
      }
    }
  }
  return best(found);
}

/**
 * The namespaces that bound a workload of `namespace` in `cluster`: those
 * of the first environment entry holding it, or undefined when that entry
 * is the whole cluster (or none does).
 * @public
 */
export function boundingNamespaces(
  environments: ReadonlyArray<Pick<EnvironmentSummary, 'clusters'>>,
  cluster: string,
  namespace: string,
): string[] | undefined {
  for (const env of environments) {
    const entry = env.clusters.find(
      c =>
        c.cluster === cluster &&
        (!c.namespaces || c.namespaces.includes(namespace)),
    );
    if (entry) return entry.namespaces;
  }
  return undefined;
}

/**
 * Every found link of a view, once per object, with where it belongs: what
 * the actions endpoint decides on.
 * @public
 */
export function linksOfView(view: PromotionView): LocatedLink[] {
  const byObject = new Map<string, LocatedLink[]>();
  for (const row of view.workloads) {
    row.cells.forEach((cell, i) => {
      const env = view.environments[i];
      for (const cc of cell.clusters) {
        const namespaces = boundingNamespaces([env], cc.cluster, cc.namespace);
        for (const link of cc.chain.filter(l => l.found)) {
          const { cluster, group, plural, namespace, name } = link.ref;
          const key = [cluster, group, plural, namespace, name].join('/');
          byObject.set(key, [
            ...(byObject.get(key) ?? []),
            {
              link,
              workload: cc.chain[0],
              chain: cc.chain,
              environment: env.name,
              outside: outsideOf(link, env.name, namespaces),
            },
          ]);
        }
      }
    });
  }
  return [...byObject.values()].map(found => best(found)!);
}
