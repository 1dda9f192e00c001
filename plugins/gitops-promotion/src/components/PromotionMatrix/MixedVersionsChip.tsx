import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { EnvironmentCell } from '@gitops-promotion/backstage-plugin-common';

/** Per-cluster versions of an environment whose clusters disagree. */
export function clusterVersions(cell: EnvironmentCell): string {
  return cell.clusters
    .map(c => `${c.cluster}: ${c.version ?? 'no version'}`)
    .join(', ');
}

/** Marks an environment whose clusters run different versions. */
export function MixedVersionsChip(props: { cell: EnvironmentCell }) {
  return (
    <Tooltip title={clusterVersions(props.cell)}>
      <Chip
        component="span"
        size="small"
        variant="outlined"
        label="mixed versions"
      />
    </Tooltip>
  );
}
