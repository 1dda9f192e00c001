import { WorkloadKind } from '../kinds';
import {
  CellState,
  ClusterError,
  EnvironmentSummary,
  PromotionStep,
} from './view';

/** A workload in one environment, as the overview shows it. @public */
export interface OverviewCell {
  environment: string;
  state: CellState;
  /** Since when the cell is in its state. */
  since?: string;
  /** The version for promotion (the oldest when clusters differ). */
  version?: string;
  /** The clusters of the environment run different versions. */
  mixedVersions: boolean;
  /** Some of its clusters answer from old data or never answered. */
  stale: boolean;
}

/** One workload of one catalog entity: a row of the overview. @public */
export interface OverviewRow {
  entityRef: string;
  /** The entity's title, or its name. */
  title: string;
  /** `spec.owner` as an entity ref. */
  owner?: string;
  /** `spec.system` as an entity ref. */
  system?: string;
  workload: { id: string; kind: WorkloadKind; name: string };
  /** One per environment, in the configured order. */
  cells: OverviewCell[];
  /** One per pair of neighbouring environments. */
  promotions: PromotionStep[];
  /** Environments where the workload fails. */
  failingIn: string[];
  /** Environments a newer version from the one before waits to reach. */
  pendingIn: string[];
  mixedVersions: boolean;
  stale: boolean;
}

/** The counts of one environment. @public */
export interface OverviewEnvironmentCounts {
  environment: string;
  /** Rows failing there. */
  failing: number;
  /** Rows whose newer version waits to reach it. */
  pending: number;
}

/** The rows an overview filter keeps. @public */
export type OverviewFilter = 'failing' | 'pending' | 'mixed-versions' | 'stale';

/** The answer of the overview endpoints. @public */
export interface PromotionOverview {
  environments: EnvironmentSummary[];
  rows: OverviewRow[];
  counts: {
    /** Entities with at least one row. */
    entities: number;
    environments: OverviewEnvironmentCounts[];
    mixedVersions: number;
    stale: number;
  };
  /** Entities the caller may view that were looked at (with or without rows). */
  entitiesChecked: number;
  /** More entities matched than one answer looks at: narrow the scope. */
  truncated: boolean;
  /**
   * The clusters (or kinds on them) the checked entities' views could not
   * read, once each: what they run is missing from the rows and counts.
   */
  clusterErrors: ClusterError[];
  /** Entities whose view could not be built: not in the rows or counts. */
  unavailable: OverviewUnavailableEntity[];
  generatedAt: string;
}

/** An entity of an overview whose promotion view could not be built. @public */
export interface OverviewUnavailableEntity {
  entityRef: string;
  /** The entity's title, or its name. */
  title: string;
  message: string;
}
