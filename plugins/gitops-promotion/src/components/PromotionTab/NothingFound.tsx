import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PromotionViewSummary } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { describeSelectors } from '../../util/labels';

/**
 * Clusters nothing was searched in: an error about the whole cluster, or
 * about every kind the annotations search, and no data at all. An error
 * about one kind (no KuboCD on a Flux-only cluster) leaves the others read.
 */
function unreadClusters(view: PromotionViewSummary): Set<string> {
  const searched = new Set(view.selectors.map(s => s.kind));
  const unreadKinds = new Map<string, Set<string>>();
  const unread = new Set<string>();
  for (const e of view.clusterErrors) {
    if (e.lastSyncedAt || e.degraded) continue;
    if (!e.kind) {
      unread.add(e.cluster);
      continue;
    }
    const kinds = unreadKinds.get(e.cluster) ?? new Set();
    kinds.add(e.kind);
    unreadKinds.set(e.cluster, kinds);
  }
  for (const [cluster, kinds] of unreadKinds) {
    if (searched.size > 0 && [...searched].every(k => kinds.has(k))) {
      unread.add(cluster);
    }
  }
  return unread;
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
