import { Content, Header, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitopsPromotionTranslationRef } from '../../translation';
import { PromotionOverview } from './PromotionOverview';

/**
 * The GitOps promotion page: the overview of every component the user may
 * view, grouped by owner or system, for platform teams.
 */
export function PromotionOverviewPage() {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <Page themeId="tool">
      <Header
        title={t('overview.pageTitle')}
        subtitle={t('overview.pageSubtitle')}
      />
      <Content>
        <PromotionOverview groupable />
      </Content>
    </Page>
  );
}
