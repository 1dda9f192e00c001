import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PromotionViewSummary } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { describeSelectors } from '../../util/labels';

/** The annotations select nothing: say what was searched, and where. */
export function NothingFound(props: { view: PromotionViewSummary }) {
  const { view } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <EmptyState
      missing="data"
      title={t('nothingFound.title')}
      description={t('nothingFound.description')}
      // The lists go in the action slot: the description is a paragraph.
      action={
        <>
          <Typography variant="subtitle2" component="h3">
            {t('nothingFound.searchedFor')}
          </Typography>
          <ul>
            {describeSelectors(view.selectors, t).map(line => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <Typography variant="subtitle2" component="h3">
            {t('nothingFound.searchedIn')}
          </Typography>
          <ul>
            {view.environments.map(env => (
              <li key={env.name}>
                {t('nothingFound.environment', {
                  environment: env.title,
                  clusters: env.clusters
                    .map(c =>
                      c.namespaces
                        ? t('nothingFound.clusterNamespaces', {
                            cluster: c.cluster,
                            namespaces: c.namespaces.join(', '),
                          })
                        : c.cluster,
                    )
                    .join(', '),
                })}
              </li>
            ))}
          </ul>
        </>
      }
    />
  );
}
