import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { AnnotationProblem } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  alert: { marginBottom: theme.spacing(2), overflowWrap: 'anywhere' },
}));

/** Annotation values the backend refused, so the entity owner can fix them. */
export function AnnotationProblems(props: { problems: AnnotationProblem[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <>
      {props.problems.map(p => (
        <Alert
          key={`${p.annotation}/${p.message}`}
          severity="error"
          className={classes.alert}
        >
          <AlertTitle>
            {t('annotationProblem.title', { annotation: p.annotation })}
          </AlertTitle>
          {t('annotationProblem.value', {
            value: <code>{p.value}</code>,
            message: p.message,
          })}
        </Alert>
      ))}
    </>
  );
}
