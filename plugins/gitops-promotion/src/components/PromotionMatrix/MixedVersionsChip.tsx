import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EnvironmentCell } from '@gitops-promotion/backstage-plugin-common';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';

/** Per-cluster versions of an environment whose clusters disagree. */
export function clusterVersions(
  cell: EnvironmentCell,
  t: GitopsPromotionT,
): string {
  return cell.clusters
    .map(c =>
      t('mixedVersions.cluster', {
        cluster: c.cluster,
        version: c.version ?? t('mixedVersions.noVersion'),
      }),
    )
    .join(', ');
}

/** Marks an environment whose clusters run different versions. */
export function MixedVersionsChip(props: { cell: EnvironmentCell }) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <Tooltip title={clusterVersions(props.cell, t)}>
      <Chip
        component="span"
        size="small"
        variant="outlined"
        label={t('mixedVersions.label')}
      />
    </Tooltip>
  );
}
