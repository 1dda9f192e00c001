import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import {
  EnvironmentCell,
  EnvironmentSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { ReactNode } from 'react';
import { StateLabel } from '../common/StateLabel';

const useStyles = makeStyles({
  value: { fontFamily: 'monospace', wordBreak: 'break-all' },
  list: { margin: 0, paddingLeft: '1.2em' },
});

/** `<scheme>:<12 hex>` per digest: a Release's digest joins one per HelmRelease. */
function shortDigest(digest: string): string {
  return digest
    .split(',')
    .map(d => d.replace(/([0-9a-f]{12})[0-9a-f]+$/, '$1'))
    .join(', ');
}

/** Two environments side by side: versions, revisions, digests and clusters. */
export function EnvironmentColumns(props: {
  environments: EnvironmentSummary[];
  cells: EnvironmentCell[];
}) {
  const classes = useStyles();
  const { environments, cells } = props;
  const row = (label: string, value: (cell: EnvironmentCell) => ReactNode) => (
    <TableRow>
      <TableCell component="th" scope="row" role="rowheader">
        {label}
      </TableCell>
      {cells.map((cell, i) => (
        <TableCell key={i} className={classes.value}>
          {value(cell) ?? '—'}
        </TableCell>
      ))}
    </TableRow>
  );
  return (
    <Table size="small" aria-label="Environments side by side">
      <TableHead>
        <TableRow>
          <TableCell />
          {environments.map((env, i) => (
            <TableCell key={i}>{env.title}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {row('State', cell => (
          <StateLabel state={cell.state} />
        ))}
        {row('Version', cell =>
          cell.mixedVersions ? cell.versions.join(', ') : cell.version,
        )}
        {row('Revision', cell => cell.revision)}
        {row(
          'Config digest',
          cell => cell.configDigest && shortDigest(cell.configDigest),
        )}
        {row('Clusters', cell =>
          cell.clusters.length ? (
            <ul className={classes.list}>
              {cell.clusters.map(c => (
                <li key={`${c.cluster}/${c.namespace}`}>
                  {c.cluster}: {c.version ?? 'no version'} ({c.state})
                </li>
              ))}
            </ul>
          ) : undefined,
        )}
      </TableBody>
    </Table>
  );
}
