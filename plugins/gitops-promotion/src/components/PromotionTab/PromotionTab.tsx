import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  hasPromotionAnnotations,
  PROMOTION_ANNOTATIONS,
  PromotionViewSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { useAfterFirstCommit } from '../../hooks/useAfterFirstCommit';
import { useCellSelection } from '../../hooks/useCellSelection';
import { useNow } from '../../hooks/useNow';
import { gitopsPromotionTranslationRef } from '../../translation';
import { workloadLabels } from '../../util/labels';
import { errorMessage } from '../../util/errorMessage';
import { usePromotionView } from '../../hooks/usePromotionView';
import { CellDrawer } from '../CellDrawer/CellDrawer';
import { ClusterErrorsBanner } from '../ClusterErrorsBanner/ClusterErrorsBanner';
import { CompareEnvironments } from '../CompareEnvironments/CompareEnvironments';
import { ExpandableSection } from '../common/ExpandableSection';
import { PromotionHistory } from '../PromotionHistory/PromotionHistory';
import {
  cellButton,
  cellKey,
  CellSelection,
  PromotionMatrix,
} from '../PromotionMatrix/PromotionMatrix';
import { AnnotationProblems } from './AnnotationProblems';
import { CellNotInView } from './CellNotInView';
import { NothingFound } from './NothingFound';
import { RefreshStatus } from '../common/RefreshStatus';
import { RequireViewPermission } from './RequireViewPermission';
import { isViewDenied, ViewDenied } from './ViewDenied';

/**
 * The matrix, the comparison and the history: memoized, so a poll answered
 * 304 (the same view object, a new `checkedAt`) renders only the refresh
 * status above them. The sections below the matrix mount after it is on
 * screen: their form controls cost as much again as the matrix to mount.
 */
const PromotionSections = memo(function Sections(props: {
  view: PromotionViewSummary;
  now: number;
  entityRef: string;
  onOpen: (selection: CellSelection) => void;
}) {
  const { view, now, entityRef, onOpen } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const matrixShown = useAfterFirstCommit();
  return (
    <>
      <PromotionMatrix view={view} now={now} onOpen={onOpen} />
      {matrixShown && (
        <>
          <Box mt={3}>
            <CompareEnvironments view={view} entityRef={entityRef} />
          </Box>
          <Box mt={3}>
            <Typography variant="h6">{t('promotionHistory.title')}</Typography>
            <ExpandableSection
              showLabel={t('promotionHistory.show')}
              hideLabel={t('promotionHistory.hide')}
            >
              {() => <PromotionHistory view={view} entityRef={entityRef} />}
            </ExpandableSection>
          </Box>
        </>
      )}
    </>
  );
});

function PromotionContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { view, checkedAt, error, refresh } = usePromotionView(entity);
  const now = useNow(15_000);
  const [selection, setSelection] = useCellSelection();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  // The drawer follows the polled view; a cell it lacks is said (below).
  const row = view?.workloads.find(w => w.id === selection?.rowId);
  const envIndex =
    view?.environments.findIndex(e => e.name === selection?.environment) ?? -1;
  const missing = view && selection && !(row && envIndex >= 0);
  const [gone, setGone] = useState<CellSelection>();
  // The cell the drawer last showed: that one gone closes the drawer for
  // good; one a link names and the view lacks (yet: clusters still
  // syncing) stays asked for, and opens once it comes.
  const shown = useRef<string>();
  const key = selection && cellKey(selection);
  if (row && envIndex >= 0 && key) shown.current = key;
  // A notice the user dismissed is not said again for the same cell.
  const dismissed = useRef<string>();
  if (dismissed.current !== key) dismissed.current = undefined;
  // Strings, not the selection: it is a new object each render.
  const rowId = selection?.rowId;
  const environment = selection?.environment;
  useEffect(() => {
    if (!missing || !rowId || !environment) {
      // The cell a link named has come: its drawer opens instead.
      if (key) setGone(undefined);
      return;
    }
    if (dismissed.current === key) return;
    // The same cell, said once.
    setGone(before =>
      before?.rowId === rowId && before.environment === environment
        ? before
        : { rowId, environment },
    );
    if (shown.current === key) setSelection(undefined);
  }, [missing, key, rowId, environment, setSelection]);
  // The link's cell is no longer waited for: the URL forgets it too.
  const dismiss = () => {
    const said = gone && cellKey(gone);
    dismissed.current = said;
    setGone(undefined);
    if (said && said === key) setSelection(undefined);
  };
  // Stable: the memoized matrix is not rendered again for a poll.
  const open = useCallback(
    (next: CellSelection) => {
      setGone(undefined);
      setSelection(next);
    },
    [setSelection],
  );
  // The drawer gives the focus back to what had it when it opened; opened
  // from a link, that was the page: the focus goes to its cell instead.
  const sections = useRef<HTMLDivElement>(null);
  const closed = useRef<CellSelection>();
  const drawerOpen = !!(row && envIndex >= 0);
  useEffect(() => {
    const cell = closed.current;
    if (drawerOpen || !cell) return;
    closed.current = undefined;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    if (sections.current) cellButton(sections.current, cell)?.focus();
  }, [drawerOpen]);

  // The backend has the last word (the policy may have changed since the
  // gate asked): a 403 hides the data shown so far too.
  if (error && isViewDenied(error)) {
    return <ViewDenied entityRef={entityRef} error={error} />;
  }
  if (!view || !checkedAt) {
    return error ? (
      <ResponseErrorPanel
        error={error}
        title={t('tab.loadFailed', { error: errorMessage(error) })}
      />
    ) : (
      <Progress />
    );
  }
  const nothingFound = view.workloads.length === 0 && view.selectors.length > 0;
  return (
    <>
      <RefreshStatus checkedAt={checkedAt} onRefresh={refresh} />
      {error && (
        <Box mb={2}>
          <Alert severity="warning">
            {t('tab.refreshFailed', { error: errorMessage(error) })}
          </Alert>
        </Box>
      )}
      {gone && (
        <CellNotInView
          selection={gone}
          environments={view.environments}
          onDismiss={dismiss}
        />
      )}
      <AnnotationProblems problems={view.annotationProblems} />
      <ClusterErrorsBanner errors={view.clusterErrors} now={now} />
      {nothingFound && <NothingFound view={view} />}
      {view.workloads.length > 0 && (
        <div ref={sections}>
          <PromotionSections
            view={view}
            now={now}
            entityRef={entityRef}
            onOpen={open}
          />
        </div>
      )}
      {row && envIndex >= 0 && (
        <CellDrawer
          row={row}
          workloadLabel={
            workloadLabels(view.workloads, t).get(row.id) ?? row.name
          }
          environment={view.environments[envIndex]}
          cell={row.cells[envIndex]}
          scope={view}
          entityRef={entityRef}
          now={now}
          onClose={() => {
            closed.current = selection;
            setSelection(undefined);
          }}
          onChanged={refresh}
        />
      )}
    </>
  );
}

/**
 * The Promotion tab of an entity: which version runs in which environment,
 * whether it is healthy, what waits to be promoted, and why a cell fails.
 */
export function PromotionTab() {
  const { entity } = useEntity();
  if (!hasPromotionAnnotations(entity.metadata.annotations)) {
    return <MissingAnnotationEmptyState annotation={PROMOTION_ANNOTATIONS} />;
  }
  const entityRef = stringifyEntityRef(entity);
  return (
    <RequireViewPermission entityRef={entityRef}>
      {/* Keyed: a notice or a remembered cell of one entity is not another's. */}
      <PromotionContent key={entityRef} />
    </RequireViewPermission>
  );
}
