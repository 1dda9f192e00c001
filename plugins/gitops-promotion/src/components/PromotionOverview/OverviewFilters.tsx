import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EnvironmentSummary,
  OVERVIEW_FILTERS,
  OverviewFilter,
} from '@gitops-promotion/backstage-plugin-common';
import { useId } from 'react';
import { gitopsPromotionTranslationRef } from '../../translation';
import { readableText } from '../common/readableText';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  chip: { marginRight: theme.spacing(1) },
  select: { minWidth: 180, marginLeft: theme.spacing(2) },
  label: { color: readableText(theme, 'secondary') },
}));

/** How the user narrows the overview. */
export interface OverviewSelection {
  filters: OverviewFilter[];
  /** Empty: any environment. */
  environment: string;
  groupBy: 'none' | 'owner' | 'system';
}

/**
 * The environment the filters look at: it narrows the filters, so with
 * none on it narrows nothing (kept for when one is turned on again).
 */
export function narrowedEnvironment(
  selection: OverviewSelection,
): string | undefined {
  return (selection.filters.length > 0 && selection.environment) || undefined;
}

/**
 * The filter toggles (failing, pending promotion, mixed versions, stale
 * data: a row shows when it matches all that are on), the environment
 * they look at, and the grouping when the page offers it.
 */
export function OverviewFilters(props: {
  environments: EnvironmentSummary[];
  selection: OverviewSelection;
  onChange: (selection: OverviewSelection) => void;
  groupable: boolean;
}) {
  const { environments, selection, onChange, groupable } = props;
  const classes = useStyles();
  // Unique per instance: a page may show more than one overview.
  const id = useId();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const toggle = (filter: OverviewFilter) =>
    onChange({
      ...selection,
      filters: selection.filters.includes(filter)
        ? selection.filters.filter(f => f !== filter)
        : [...selection.filters, filter],
    });
  return (
    <div className={classes.root}>
      <Typography variant="body2" component="span" id={`${id}-filters`}>
        {t('overview.filtersLabel')}
      </Typography>
      <div role="group" aria-labelledby={`${id}-filters`}>
        {OVERVIEW_FILTERS.map(filter => {
          const on = selection.filters.includes(filter);
          return (
            <Chip
              key={filter}
              label={t(`overview.filter.${filter}`)}
              color={on ? 'primary' : 'default'}
              variant={on ? 'default' : 'outlined'}
              onClick={() => toggle(filter)}
              aria-pressed={on}
              className={classes.chip}
            />
          );
        })}
      </div>
      {/* The environment narrows the filters: with none on it has nothing to narrow. */}
      <FormControl
        className={classes.select}
        size="small"
        disabled={selection.filters.length === 0}
      >
        <InputLabel id={`${id}-environment`} shrink className={classes.label}>
          {t('overview.environment')}
        </InputLabel>
        <Select
          labelId={`${id}-environment`}
          value={narrowedEnvironment(selection) ?? ''}
          displayEmpty
          onChange={e =>
            onChange({ ...selection, environment: String(e.target.value) })
          }
        >
          <MenuItem value="">{t('overview.anyEnvironment')}</MenuItem>
          {environments.map(env => (
            <MenuItem key={env.name} value={env.name}>
              {env.title}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      {groupable && (
        <FormControl className={classes.select} size="small">
          <InputLabel id={`${id}-group-by`} className={classes.label}>
            {t('overview.groupBy')}
          </InputLabel>
          <Select
            labelId={`${id}-group-by`}
            value={selection.groupBy}
            onChange={e =>
              onChange({
                ...selection,
                groupBy: e.target.value as OverviewSelection['groupBy'],
              })
            }
          >
            <MenuItem value="none">{t('overview.groupByNone')}</MenuItem>
            <MenuItem value="owner">{t('overview.groupByOwner')}</MenuItem>
            <MenuItem value="system">{t('overview.groupBySystem')}</MenuItem>
          </Select>
        </FormControl>
      )}
    </div>
  );
}
