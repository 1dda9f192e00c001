import { Progress } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  describeRef,
  objectHistory,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useObjectDetails } from '../../hooks/useObjectDetails';
import { errorMessage } from '../../util/errorMessage';
import { Age } from '../common/Age';
import { ExpandableSection } from '../common/ExpandableSection';

function HistoryTable(props: {
  objectRef: ObjectRef;
  entityRef: string;
  version: string;
  now: number;
}) {
  const { objectRef, now } = props;
  const { value, loading, error } = useObjectDetails(
    objectRef,
    props.entityRef,
    props.version,
  );
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <Alert severity="error">
        Could not load the history: {errorMessage(error)}
      </Alert>
    );
  }
  const entries = value ? objectHistory(value.object) : [];
  if (entries.length === 0) {
    return (
      <Typography variant="body2">
        No history recorded yet (the controller writes it after its first
        reconcile).
      </Typography>
    );
  }
  const helm = objectRef.kind === 'HelmRelease';
  const when = (time?: string) =>
    time && (
      <>
        <Age time={time} now={now} /> ago
      </>
    );
  return (
    <Table size="small" aria-label={`History of ${describeRef(objectRef)}`}>
      <TableHead>
        <TableRow>
          {helm && <TableCell>Helm revision</TableCell>}
          <TableCell>{helm ? 'Chart' : 'Revision'}</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>{helm ? 'First deployed' : 'First applied'}</TableCell>
          <TableCell>{helm ? 'Last deployed' : 'Last reconciled'}</TableCell>
          {!helm && <TableCell>Reconciliations</TableCell>}
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
  entityRef: string;
  /** Changes when the view says the object changed: read again. */
  version: string;
  now: number;
}) {
  return (
    <ExpandableSection showLabel="Show history" hideLabel="Hide history">
      {() => (
        <HistoryTable
          objectRef={props.objectRef}
          entityRef={props.entityRef}
          version={props.version}
          now={props.now}
        />
      )}
    </ExpandableSection>
  );
}
