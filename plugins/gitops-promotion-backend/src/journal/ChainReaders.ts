/**
 * Per cluster, which workloads' chains read which namespaces, so a change
 * in a namespace re-reads the workloads of other namespaces whose chain
 * reads it (a shared chart source in flux-system). A workload's entry is
 * replaced each time its chain is walked, and dropped when a walk of its
 * namespace no longer finds it: nothing piles up as preview workloads come
 * and go.
 */
export class ChainReaders {
  /** cluster → namespace → workload ids */
  private readonly byNamespace = new Map<string, Map<string, Set<string>>>();
  /** cluster → workload id → its namespace, and those its chain read last */
  private readonly byWorkload = new Map<
    string,
    Map<string, { own: string; reads: string[] }>
  >();

  /** The namespaces a workload's chain read this time (replacing the last). */
  note(cluster: string, id: string, own: string, namespaces: string[]): void {
    this.forget(cluster, id);
    const reads = [...new Set(namespaces)];
    let workloads = this.byWorkload.get(cluster);
    if (!workloads) {
      workloads = new Map();
      this.byWorkload.set(cluster, workloads);
    }
    workloads.set(id, { own, reads });
    let readers = this.byNamespace.get(cluster);
    if (!readers) {
      readers = new Map();
      this.byNamespace.set(cluster, readers);
    }
    for (const namespace of reads) {
      const ids = readers.get(namespace) ?? new Set<string>();
      ids.add(id);
      readers.set(namespace, ids);
    }
  }

  /** The workloads whose chain read `namespace` last. */
  readersOf(cluster: string, namespace: string): ReadonlySet<string> {
    return this.byNamespace.get(cluster)?.get(namespace) ?? new Set();
  }

  /**
   * After a walk of a cluster's `namespaces` (all of them when undefined):
   * drops the workloads of those namespaces the walk did not find, and
   * returns them.
   */
  keepFound(
    cluster: string,
    found: ReadonlySet<string>,
    namespaces?: ReadonlySet<string>,
  ): string[] {
    const dropped: string[] = [];
    for (const [id, { own }] of this.byWorkload.get(cluster) ?? []) {
      if (!found.has(id) && (!namespaces || namespaces.has(own))) {
        this.forget(cluster, id);
        dropped.push(id);
      }
    }
    return dropped;
  }

  /** Drops a workload (deleted, or its entries retired). */
  forget(cluster: string, id: string): void {
    const workloads = this.byWorkload.get(cluster);
    const workload = workloads?.get(id);
    if (!workloads || !workload) return;
    workloads.delete(id);
    const readers = this.byNamespace.get(cluster)!;
    for (const namespace of workload.reads) {
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
