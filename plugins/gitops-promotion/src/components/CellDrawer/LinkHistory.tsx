import { Progress } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  describeRef,
  objectHistory,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useEffect } from 'react';
import { LinkDetails } from '../../hooks/useLinkDetails';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { Age } from '../common/Age';
import { ExpandableSection } from '../common/ExpandableSection';

function HistoryTable(props: {
  objectRef: ObjectRef;
  details: LinkDetails;
  now: number;
}) {
  const { objectRef, now } = props;
  const { want, state } = props.details;
  useEffect(want, [want]);
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  if (!state || (state.loading && !state.value)) return <Progress />;
  const { value, error } = state;
  if (error) {
    return (
      <Alert severity="error">
        {t('history.loadFailed', { error: errorMessage(error) })}
      </Alert>
    );
  }
  const entries = value ? objectHistory(value.object) : [];
  if (entries.length === 0) {
    return <Typography variant="body2">{t('history.none')}</Typography>;
  }
  const helm = objectRef.kind === 'HelmRelease';
  const when = (time?: string) =>
    time && <>{t('age.ago', { age: <Age time={time} now={now} /> })}</>;
  return (
    <Table
      size="small"
      aria-label={t('history.label', { name: describeRef(objectRef) })}
    >
      <TableHead>
        <TableRow>
          {helm && <TableCell>{t('history.helmRevision')}</TableCell>}
          <TableCell>
            {helm ? t('history.chart') : t('history.revision')}
          </TableCell>
          <TableCell>{t('history.status')}</TableCell>
          <TableCell>
            {helm ? t('history.firstDeployed') : t('history.firstApplied')}
          </TableCell>
          <TableCell>
            {helm ? t('history.lastDeployed') : t('history.lastReconciled')}
          </TableCell>
          {!helm && <TableCell>{t('history.reconciliations')}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map((h, i) => (
          <TableRow key={i}>
            {helm && <TableCell>{h.helmRevision}</TableCell>}
            <TableCell>{h.revision}</TableCell>
            <TableCell>{h.status ?? '—'}</TableCell>
            <TableCell>{when(h.first)}</TableCell>
            <TableCell>{when(h.last)}</TableCell>
            {!helm && <TableCell>{h.reconciliations}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The revisions a Kustomization applied or the Helm releases of a
 * HelmRelease (status.history), read from the cluster when asked for.
 */
export function LinkHistory(props: {
  objectRef: ObjectRef;
  /** The object's read, shared with its events. */
  details: LinkDetails;
  now: number;
  /** The id of the object's heading. */
  describedBy: string;
}) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <ExpandableSection
      showLabel={t('history.show')}
      hideLabel={t('history.hide')}
      describedBy={props.describedBy}
    >
      {() => (
        <HistoryTable
          objectRef={props.objectRef}
          details={props.details}
          now={props.now}
        />
      )}
    </ExpandableSection>
  );
}
