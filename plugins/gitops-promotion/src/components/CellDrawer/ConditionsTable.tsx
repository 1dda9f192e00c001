import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { KubeCondition } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { Age } from '../common/Age';

// Types, statuses and reasons are single CamelCase words: never break
// them, unless one is longer than a word (a reason may be 1,024 characters
// without a space), which would push the table out of the drawer.
const useStyles = makeStyles({
  word: { whiteSpace: 'nowrap' },
  long: { overflowWrap: 'anywhere', minWidth: '12ch' },
});
const LONGEST_WORD = 40;

/** The status conditions of an object, as `kubectl describe` lists them. */
export function ConditionsTable(props: {
  name: string;
  conditions: KubeCondition[];
  now: number;
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const word = (text: string | undefined) =>
    (text ?? '').length > LONGEST_WORD ? classes.long : classes.word;
  return (
    <Table
      size="small"
      aria-label={t('conditions.label', { name: props.name })}
    >
      <TableHead>
        <TableRow>
          <TableCell className={classes.word}>{t('conditions.type')}</TableCell>
          <TableCell className={classes.word}>
            {t('conditions.status')}
          </TableCell>
          <TableCell className={classes.word}>
            {t('conditions.reason')}
          </TableCell>
          <TableCell>{t('conditions.message')}</TableCell>
          <TableCell className={classes.word}>
            {t('conditions.changed')}
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.conditions.map(c => (
          <TableRow key={c.type}>
            <TableCell className={word(c.type)}>{c.type}</TableCell>
            <TableCell className={word(c.status)}>{c.status}</TableCell>
            <TableCell className={word(c.reason)}>{c.reason}</TableCell>
            <TableCell>{c.message}</TableCell>
            <TableCell className={classes.word}>
              {c.lastTransitionTime &&
                t('age.ago', {
                  age: <Age time={c.lastTransitionTime} now={props.now} />,
                })}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
