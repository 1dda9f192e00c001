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
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useEffect } from 'react';
import { LinkDetails } from '../../hooks/useLinkDetails';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { Age } from '../common/Age';
import { ExpandableSection } from '../common/ExpandableSection';

function EventsTable(props: {
  objectRef: ObjectRef;
  details: LinkDetails;
  now: number;
}) {
  const { want, state } = props.details;
  useEffect(want, [want]);
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  // A reload keeps the events shown until the new ones arrive.
  if (!state || (state.loading && !state.value)) return <Progress />;
  const { value, error } = state;
  if (error) {
    return (
      <Alert severity="error">
        {t('events.loadFailed', { error: errorMessage(error) })}
      </Alert>
    );
  }
  if (value?.eventsError) {
    return (
      <Alert severity="warning">
        {t('events.readFailed', { error: value.eventsError })}
      </Alert>
    );
  }
  if (!value?.events.length) {
    return <Typography variant="body2">{t('events.none')}</Typography>;
  }
  return (
    <Table
      size="small"
      aria-label={t('events.label', { name: describeRef(props.objectRef) })}
    >
      <TableHead>
        <TableRow>
          <TableCell>{t('events.type')}</TableCell>
          <TableCell>{t('events.reason')}</TableCell>
          <TableCell>{t('events.message')}</TableCell>
          <TableCell>{t('events.count')}</TableCell>
          <TableCell>{t('events.lastSeen')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {value.events.map((e, i) => (
          <TableRow key={i}>
            <TableCell>{e.type}</TableCell>
            <TableCell>{e.reason}</TableCell>
            <TableCell>{e.message}</TableCell>
            <TableCell>{e.count}</TableCell>
            <TableCell>
              {(e.lastTimestamp ?? e.firstTimestamp) &&
                t('age.ago', {
                  age: (
                    <Age
                      time={(e.lastTimestamp ?? e.firstTimestamp)!}
                      now={props.now}
                    />
                  ),
                })}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Recent events of a chain link, fetched from the cluster only when asked
 * for (or at once for the root cause).
 */
export function LinkEvents(props: {
  objectRef: ObjectRef;
  /** The object's read, shared with its history. */
  details: LinkDetails;
  now: number;
  initiallyOpen: boolean;
  /** The id of the object's heading. */
  describedBy: string;
}) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <ExpandableSection
      showLabel={t('events.show')}
      hideLabel={t('events.hide')}
      initiallyOpen={props.initiallyOpen}
      describedBy={props.describedBy}
    >
      {() => (
        <EventsTable
          objectRef={props.objectRef}
          details={props.details}
          now={props.now}
        />
      )}
    </ExpandableSection>
  );
}
