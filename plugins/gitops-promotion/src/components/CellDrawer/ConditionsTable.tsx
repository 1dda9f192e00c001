import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { KubeCondition } from '@gitops-promotion/backstage-plugin-common';
import { Age } from '../common/Age';

// Types, statuses and reasons are single CamelCase words: never break them.
const useStyles = makeStyles({ word: { whiteSpace: 'nowrap' } });

/** The status conditions of an object, as `kubectl describe` lists them. */
export function ConditionsTable(props: {
  name: string;
  conditions: KubeCondition[];
  now: number;
}) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label={`Conditions of ${props.name}`}>
      <TableHead>
        <TableRow>
          <TableCell className={classes.word}>Type</TableCell>
          <TableCell className={classes.word}>Status</TableCell>
          <TableCell className={classes.word}>Reason</TableCell>
          <TableCell>Message</TableCell>
          <TableCell className={classes.word}>Changed</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.conditions.map(c => (
          <TableRow key={c.type}>
            <TableCell className={classes.word}>{c.type}</TableCell>
            <TableCell className={classes.word}>{c.status}</TableCell>
            <TableCell className={classes.word}>{c.reason}</TableCell>
            <TableCell>{c.message}</TableCell>
            <TableCell className={classes.word}>
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
