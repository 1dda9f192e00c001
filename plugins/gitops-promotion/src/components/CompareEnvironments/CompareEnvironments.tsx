import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import {
  PromotionViewSummary,
  WorkloadRowSummary,
} from '@gitops-promotion/backstage-plugin-common';
import Alert from '@material-ui/lab/Alert';
import { ChangeEvent, memo, useEffect, useId, useRef, useState } from 'react';
import { useCellDetail } from '../../hooks/useCellDetail';
import { errorMessage } from '../../util/errorMessage';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { workloadLabels } from '../../util/labels';
import { ClusterPlace, clusterKey, clusterName } from '../common/clusterName';
import { defaultPair } from './defaultPair';
import { CompareSide, EnvironmentColumns } from './EnvironmentColumns';
import { ValuesDiff } from './ValuesDiff';

const useStyles = makeStyles(theme => ({
  pickers: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  heading: { marginTop: theme.spacing(2) },
}));

function Picker(props: {
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <TextField
      id={id}
      select
      label={props.label}
      value={props.value}
      onChange={(e: ChangeEvent<HTMLInputElement>) =>
        props.onChange(e.target.value)
      }
      SelectProps={{ native: true }}
      // Outlined labels must fit on one line above the value.
      style={{ minWidth: 220 }}
      variant="outlined"
      size="small"
    >
      {props.options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

// One cluster can hold the workload in several namespaces.
function clusterOptions(clusters: ClusterPlace[], t: GitopsPromotionT) {
  return clusters.map(c => ({
    value: clusterKey(c),
    label: clusterName(c, clusters, t),
  }));
}

/** Two environments of one workload: summary columns and the values diff. */
function ComparePair(props: {
  view: PromotionViewSummary;
  row: WorkloadRowSummary;
  entityRef: string;
}) {
  const { view, row, entityRef } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [chosen, setChosen] = useState(() => defaultPair(row));
  // The cluster read for each environment, when it has several.
  const [picked, setPicked] = useState<Record<string, ClusterPlace>>({});
  const envOptions = view.environments.map(e => ({
    value: e.name,
    label: e.title,
  }));
  // A newer view may lack a chosen environment (renamed in the config).
  const envs = chosen.every(name => envOptions.some(o => o.value === name))
    ? chosen
    : defaultPair(row);
  // The two cells shown: asked for, not in the view, each with the chains
  // of the cluster read for it.
  const details = [
    useCellDetail(entityRef, view, envs[0], row.id, picked[envs[0]]?.cluster),
    useCellDetail(entityRef, view, envs[1], row.id, picked[envs[1]]?.cluster),
  ];
  // A cell whose clusters all come in brief (many, all Ready): read its
  // first; so too when the cluster read no longer runs the workload. Until
  // it comes, the cell has no cluster to compare, though deployed.
  const toRead = envs.map((name, i) => {
    const detail = details[i].value;
    const first = detail?.inBrief[0];
    const want = picked[name];
    return first &&
      detail.cell.clusters.length === 0 &&
      (!want || clusterKey(want) !== clusterKey(first))
      ? first
      : undefined;
  });
  useEffect(() => {
    envs.forEach((name, i) => {
      const first = toRead[i];
      if (first) setPicked(p => ({ ...p, [name]: first }));
    });
  });
  const failed = details.find(d => d.error && !d.value);
  const notRefreshed = details.find(d => d.error && d.value);
  const current =
    details.every(d => d.value) && !toRead.some(Boolean)
      ? envs.map((name, i): CompareSide => {
          const index = view.environments.findIndex(e => e.name === name);
          const { cell, inBrief } = details[i].value!;
          const want = picked[name];
          const cluster =
            cell.clusters.find(
              c => want && clusterKey(c) === clusterKey(want),
            ) ?? cell.clusters[0];
          return {
            environment: view.environments[index],
            cell,
            inBrief,
            cluster,
          };
        })
      : undefined;
  // While another cell or cluster loads, the last comparison stays, its
  // pickers with it: a picker that left the page would take the keyboard
  // focus with it.
  const shown = useRef<CompareSide[]>();
  if (current || failed) shown.current = current;
  const sides = shown.current;
  return (
    <>
      <div className={classes.pickers}>
        {[t('compare.firstEnvironment'), t('compare.secondEnvironment')].map(
          (label, i) => (
            <Picker
              key={i}
              label={label}
              value={envs[i]}
              options={envOptions}
              onChange={value =>
                setChosen(i === 0 ? [value, envs[1]] : [envs[0], value])
              }
            />
          ),
        )}
        {sides?.map((side, i) => {
          const all = [...side.cell.clusters, ...side.inBrief];
          return (
            all.length > 1 &&
            side.cluster && (
              <Picker
                key={`cluster-${i}`}
                label={t('compare.clusterRead', {
                  environment: side.environment.title,
                })}
                value={clusterKey(
                  picked[side.environment.name] ?? side.cluster,
                )}
                options={clusterOptions(all, t)}
                onChange={value =>
                  setPicked(p => ({
                    ...p,
                    [side.environment.name]: all.find(
                      c => clusterKey(c) === value,
                    )!,
                  }))
                }
              />
            )
          );
        })}
      </div>
      {failed && (
        <Alert severity="error">
          {t('compare.loadFailed', { error: errorMessage(failed.error!) })}
        </Alert>
      )}
      {!failed && notRefreshed && (
        <Alert severity="warning">
          {t('compare.refreshFailed', {
            error: errorMessage(notRefreshed.error!),
          })}
        </Alert>
      )}
      {!current && !failed && <Progress />}
      {sides && (
        <>
          <EnvironmentColumns sides={sides} />
          <Typography variant="h6" component="h3" className={classes.heading}>
            {t('compare.helmValues')}
          </Typography>
          {row.kind === 'Kustomization' ? (
            <Typography variant="body2">{t('compare.noHelmValues')}</Typography>
          ) : (
            <ValuesDiff
              left={{
                environment: sides[0].environment.title,
                cluster: sides[0].cluster,
              }}
              right={{
                environment: sides[1].environment.title,
                cluster: sides[1].cluster,
              }}
              entityRef={entityRef}
            />
          )}
        </>
      )}
    </>
  );
}

/**
 * Compare a workload in two environments: defaults to the pending
 * promotion closest to production.
 */
function CompareEnvironmentsCard(props: {
  view: PromotionViewSummary;
  entityRef: string;
}) {
  const { view, entityRef } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [rowId, setRowId] = useState<string>();
  const row = view.workloads.find(w => w.id === rowId) ?? view.workloads[0];
  if (!row || view.environments.length < 2) return null;
  return (
    <InfoCard title={t('compare.title')}>
      {view.workloads.length > 1 && (
        <div className={classes.pickers}>
          <Picker
            label={t('compare.workload')}
            value={row.id}
            options={[...workloadLabels(view.workloads, t)].map(
              ([value, label]) => ({ value, label }),
            )}
            onChange={setRowId}
          />
        </div>
      )}
      {/* A new workload starts from its own default pair. */}
      <ComparePair key={row.id} view={view} row={row} entityRef={entityRef} />
    </InfoCard>
  );
}

/** Memoized, like the matrix: a poll answered 304 hands back the same view. */
export const CompareEnvironments = memo(CompareEnvironmentsCard);
