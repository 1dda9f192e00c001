import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { AnnotationProblem } from '@gitops-promotion/backstage-plugin-common';

const useStyles = makeStyles(theme => ({
  alert: { marginBottom: theme.spacing(2) },
}));

/** Annotation values the backend refused, so the entity owner can fix them. */
export function AnnotationProblems(props: { problems: AnnotationProblem[] }) {
  const classes = useStyles();
  return (
    <>
      {props.problems.map(p => (
        <Alert
          key={`${p.annotation}/${p.message}`}
          severity="error"
          className={classes.alert}
        >
          <AlertTitle>Annotation {p.annotation} cannot be used</AlertTitle>
          Value <code>{p.value}</code>: {p.message}
        </Alert>
      ))}
    </>
  );
}
