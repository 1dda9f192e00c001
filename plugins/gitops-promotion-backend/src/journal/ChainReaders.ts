/**
 * Per cluster, which workloads' chains read which namespaces, so a change
 * in a namespace re-reads the workloads of other namespaces whose chain
 * reads it (a shared chart source in flux-system). A workload's entry is
 * replaced each time its chain is walked, and dropped with the workload:
 * nothing piles up as preview workloads come and go.
 */
export class ChainReaders {
  /** cluster → namespace → workload ids */
  private readonly byNamespace = new Map<string, Map<string, Set<string>>>();
  /** cluster → workload id → namespaces its chain read last */
  private readonly byWorkload = new Map<string, Map<string, string[]>>();

  /** The namespaces a workload's chain read this time (replacing the last). */
  note(cluster: string, id: string, namespaces: string[]): void {
    this.forget(cluster, id);
    const unique = [...new Set(namespaces)];
    if (unique.length === 0) return;
    let workloads = this.byWorkload.get(cluster);
    if (!workloads) {
      workloads = new Map();
      this.byWorkload.set(cluster, workloads);
    }
    workloads.set(id, unique);
    let readers = this.byNamespace.get(cluster);
    if (!readers) {
      readers = new Map();
      this.byNamespace.set(cluster, readers);
    }
    for (const namespace of unique) {
      const ids = readers.get(namespace) ?? new Set<string>();
      ids.add(id);
      readers.set(namespace, ids);
    }
  }

  /** The workloads whose chain read `namespace` last. */
  readersOf(cluster: string, namespace: string): ReadonlySet<string> {
    return this.byNamespace.get(cluster)?.get(namespace) ?? new Set();
  }

  /** Drops a workload (deleted, or its entries retired). */
  forget(cluster: string, id: string): void {
    const workloads = this.byWorkload.get(cluster);
    const namespaces = workloads?.get(id);
    if (!workloads || !namespaces) return;
    workloads.delete(id);
    const readers = this.byNamespace.get(cluster)!;
    for (const namespace of namespaces) {
      const ids = readers.get(namespace);
      ids?.delete(id);
      if (ids?.size === 0) readers.delete(namespace);
    }
    if (workloads.size === 0) {
      this.byWorkload.delete(cluster);
      this.byNamespace.delete(cluster);
    }
  }

  /** Drops a cluster (replaced: its next walk notes its workloads again). */
  forgetCluster(cluster: string): void {
    this.byWorkload.delete(cluster);
    this.byNamespace.delete(cluster);
  }
}
