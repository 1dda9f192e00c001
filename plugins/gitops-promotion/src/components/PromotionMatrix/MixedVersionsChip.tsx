import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { CellSummary } from '@gitops-promotion/backstage-plugin-common';
import { useState } from 'react';
import { someClusters } from '../common/clusterName';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';

/**
 * Which clusters run which version, in an environment whose clusters
 * disagree: newest first, at most three names per version and a count of
 * the others.
 */
export function clusterVersions(
  cell: CellSummary,
  t: GitopsPromotionT,
): string {
  return (cell.versionSpread ?? [])
    .map(s =>
      t('mixedVersions.clusters', {
        clusters: someClusters(s.clusters, t, s.count),
        version: s.version ?? t('mixedVersions.noVersion'),
      }),
    )
    .join(', ');
}

/**
 * Marks an environment whose clusters run different versions; which run
 * which, on hover, and while `open` (the cell's button, which the chip
 * sits in, has the keyboard focus: the chip cannot take it itself).
 */
export function MixedVersionsChip(props: {
  cell: CellSummary;
  open?: boolean;
}) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [hovered, setHovered] = useState(false);
  return (
    <Tooltip
      title={clusterVersions(props.cell, t)}
      open={hovered || !!props.open}
      onOpen={() => setHovered(true)}
      onClose={() => setHovered(false)}
    >
      <Chip
        component="span"
        size="small"
        variant="outlined"
        label={t('mixedVersions.label')}
      />
    </Tooltip>
  );
}
