import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { describeSelectors } from '../../util/labels';

/** The annotations select nothing: say what was searched, and where. */
export function NothingFound(props: { view: PromotionView }) {
  const { view } = props;
  return (
    <EmptyState
      missing="data"
      title="No workload found for this entity"
      description="The annotations select no KuboCD Release, Flux HelmRelease or Kustomization in the clusters of the environments."
      // The lists go in the action slot: the description is a paragraph.
      action={
        <>
          <Typography variant="subtitle2" component="h3">
            Searched for
          </Typography>
          <ul>
            {describeSelectors(view.selectors).map(line => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <Typography variant="subtitle2" component="h3">
            In
          </Typography>
          <ul>
            {view.environments.map(env => (
              <li key={env.name}>
                {env.title}:{' '}
                {env.clusters
                  .map(c =>
                    c.namespaces
                      ? `${c.cluster} (namespaces ${c.namespaces.join(', ')})`
                      : c.cluster,
                  )
                  .join(', ')}
              </li>
            ))}
          </ul>
        </>
      }
    />
  );
}
