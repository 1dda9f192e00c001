import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EnvironmentSummary } from '@gitops-promotion/backstage-plugin-common';
import { useEffect, useRef } from 'react';
import { gitopsPromotionTranslationRef } from '../../translation';
import { CellSelection } from '../PromotionMatrix/PromotionMatrix';

/**
 * Says that the cell the drawer showed (or a link named) is not in the
 * view: the drawer is gone, so the focus comes here rather than to the
 * page's start.
 */
export function CellNotInView(props: {
  selection: CellSelection;
  environments: EnvironmentSummary[];
  onDismiss: () => void;
}) {
  const { selection, environments, onDismiss } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [selection]);
  return (
    <Box mb={2}>
      <Alert severity="info" ref={ref} tabIndex={-1} onClose={onDismiss}>
        {t('tab.cellNotInView', {
          workload: selection.rowId,
          environment:
            environments.find(e => e.name === selection.environment)?.title ??
            selection.environment,
        })}
      </Alert>
    </Box>
  );
}
