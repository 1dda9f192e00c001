import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PromotionViewSummary } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { describeSelectors } from '../../util/labels';

/** Clusters with an error and no data at all: nothing was searched there. */
function unreadClusters(view: PromotionViewSummary): Set<string> {
  return new Set(
    view.clusterErrors
      .filter(e => !e.lastSyncedAt && !e.degraded)
      .map(e => e.cluster),
  );
}

/**
 * The annotations select nothing: say what was searched, and where; or,
 * when no cluster could be read, that nothing is known yet.
 */
export function NothingFound(props: { view: PromotionViewSummary }) {
  const { view } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const unread = unreadClusters(view);
  const clusters = view.environments.flatMap(e =>
    e.clusters.map(c => c.cluster),
  );
  if (clusters.length > 0 && clusters.every(c => unread.has(c))) {
    return (
      <EmptyState
        missing="data"
        title={t('nothingFound.noneReadTitle')}
        description={t('nothingFound.noneReadDescription')}
      />
    );
  }
  const notRead = [...new Set(clusters.filter(c => unread.has(c)))];
  return (
    <EmptyState
      missing="data"
      title={t('nothingFound.title')}
      description={
        notRead.length > 0
          ? t('nothingFound.descriptionPartlyRead', {
              clusters: notRead,
            })
          : t('nothingFound.description')
      }
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
                    .map(c => {
                      const name = unread.has(c.cluster)
                        ? t('nothingFound.clusterNotRead', {
                            cluster: c.cluster,
                          })
                        : c.cluster;
                      return c.namespaces
                        ? t('nothingFound.clusterNamespaces', {
                            cluster: name,
                            namespaces: c.namespaces.join(', '),
                          })
                        : name;
                    })
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
