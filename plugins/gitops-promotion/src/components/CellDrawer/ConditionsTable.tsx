import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { KubeCondition } from '@gitops-promotion/backstage-plugin-common';
import { Age } from '../common/Age';

/** The status conditions of an object, as `kubectl describe` lists them. */
export function ConditionsTable(props: {
  name: string;
  conditions: KubeCondition[];
  now: number;
}) {
  return (
    <Table size="small" aria-label={`Conditions of ${props.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Type</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Changed</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.conditions.map(c => (
          <TableRow key={c.type}>
            <TableCell>{c.type}</TableCell>
            <TableCell>{c.status}</TableCell>
            <TableCell>{c.reason}</TableCell>
            <TableCell>{c.message}</TableCell>
            <TableCell>
              {c.lastTransitionTime && (
                <>
                  <Age time={c.lastTransitionTime} now={props.now} /> ago
                </>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
