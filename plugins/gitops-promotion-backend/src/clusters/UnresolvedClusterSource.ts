import {
  KubeEvent,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import {
  ClusterRequestError,
  ClusterSource,
  ListPage,
  WatchHandle,
} from './types';

/**
 * A cluster an environment names that the catalog does not provide (yet),
 * or provides in a form the guards refuse: every request fails with why,
 * so the views show the cluster as not answering with that message until
 * the catalog gives a usable one and the fleet replaces this source.
 */
export class UnresolvedClusterSource implements ClusterSource {
  constructor(readonly name: string, private readonly reason: string) {}

  private fail(): Promise<never> {
    return Promise.reject(new ClusterRequestError('UNREACHABLE', this.reason));
  }

  discover(): Promise<Map<string, Map<string, Set<string>>>> {
    return this.fail();
  }

  list(): Promise<ListPage> {
    return this.fail();
  }

  watch(): WatchHandle {
    const done = this.fail();
    done.catch(() => {});
    return { accepted: new Promise<void>(() => {}), done, stop: () => {} };
  }

  get(): Promise<KubeObject> {
    return this.fail();
  }

  events(): Promise<KubeEvent[]> {
    return this.fail();
  }

  patch(): Promise<KubeObject> {
    return this.fail();
  }

  probe(): Promise<void> {
    return this.fail();
  }
}
