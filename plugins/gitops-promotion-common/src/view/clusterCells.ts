import { ClusterCell, PromotionView } from '../types/view';

/** Every cluster's cell of every workload and environment in a view. @public */
export function clusterCellsOf(view: PromotionView): ClusterCell[] {
  return view.workloads.flatMap(row =>
    row.cells.flatMap(cell => cell.clusters),
  );
}
