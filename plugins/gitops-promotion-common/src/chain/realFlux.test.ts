/*
 * The status rules on objects the real Flux controllers wrote:
 * src/__fixtures__/real-flux/*.yaml, captured from the testbed by
 * scripts/flux/capture-fixtures.sh (source-controller v1.9.3,
 * kustomize-controller v1.9.5, helm-controller v1.6.4). Each file is one
 * scenario's namespace: the Flux objects, the KuboCD Release the testbed's
 * stand-in reconciled, and the events as the controllers recorded them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kindOf, WorkloadKind } from '../kinds';
import { parseKubectlYaml } from '../fixtures/parseKubectlYaml';
import { classifyObject } from '../status/classifyObject';
import { failureCategory } from '../status/failureCategory';
import { objectHistory } from '../status/history';
import { deployedSnapshot, objectRevision } from '../status/revision';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { clusterCell } from './clusterCell';
import { linkFacts } from './facts';
import { helmRemediation } from './remediation';

const DIR = path.join(__dirname, '..', '__fixtures__', 'real-flux');

function load(scenario: string) {
  const objects = parseKubectlYaml(
    fs.readFileSync(path.join(DIR, `${scenario}.yaml`), 'utf8'),
    scenario,
  ) as KubeObject[];
  const index = new ObjectIndex();
  for (const obj of objects) {
    const kind = kindOf(obj);
    if (kind) index.upsert(kind, obj);
  }
  const find = (kind: string, name?: string) => {
    const found = objects.find(
      o => o.kind === kind && (!name || o.metadata.name === name),
    );
    if (!found) throw new Error(`${scenario}: no ${kind} ${name ?? ''}`);
    return found;
  };
  const cell = (kind: WorkloadKind, name?: string) =>
    clusterCell(kind, find(kind, name), index, 'testbed');
  return { objects, find, cell };
}

const condition = (obj: KubeObject, type: string) =>
  obj.status?.conditions?.find(c => c.type === type);

describe('status rules on objects captured from real Flux', () => {
  it('a Kustomization that applied two commits: Ready, its history newest first', () => {
    const { find, cell } = load('kustomization-ready');
    const ks = find('Kustomization');
    const c = cell('Kustomization');
    expect(c.state).toBe('Ready');
    expect(c.revision).toBe(ks.status!.lastAppliedRevision);
    expect(c.version).toMatch(/^main@[0-9a-f]{7}$/);
    expect(c.chain.map(l => [l.ref.kind, l.classification.state])).toEqual([
      ['Kustomization', 'Ready'],
      ['GitRepository', 'Ready'],
    ]);
    const history = objectHistory(ks);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      revision: ks.status!.lastAppliedRevision,
      status: 'ReconciliationSucceeded',
      reconciliations: expect.any(Number),
    });
    expect(history[0].first! >= history[1].first!).toBe(true);
  });

  it('git credentials rejected: GitOperationFailed ending in "authentication required: ", the artifact kept, still retrying', () => {
    const { find, cell } = load('gitrepository-auth-failed');
    const repo = find('GitRepository');
    const ready = condition(repo, 'Ready')!;
    expect(ready.message).toMatch(/: authentication required: $/);
    expect(condition(repo, 'ArtifactInStorage')?.status).toBe('True');
    expect(objectRevision(repo)).toMatch(/^main@sha1:/);
    const c = cell('Kustomization');
    expect(c).toMatchObject({ state: 'Failed', retry: 'retrying' });
    expect(c.rootCause).toMatchObject({
      category: 'authentication',
      reason: 'GitOperationFailed',
      ref: expect.objectContaining({ kind: 'GitRepository' }),
    });
    // The Kustomization still runs what it applied.
    expect(c.version).toMatch(/^main@[0-9a-f]{7}$/);
  });

  it('git server down: the same reason, a network failure', () => {
    const { cell } = load('gitrepository-server-down');
    const c = cell('Kustomization');
    expect(c.rootCause).toMatchObject({
      category: 'network',
      reason: 'GitOperationFailed',
    });
    expect(c.rootCause!.message).toMatch(/connect: connection refused$/);
  });

  it('an invalid manifest: ReconciliationFailed on the Kustomization, the applied revision kept, the new one as target', () => {
    const { find, cell } = load('kustomization-invalid-manifest');
    const ks = find('Kustomization');
    const c = cell('Kustomization');
    expect(c).toMatchObject({
      state: 'Failed',
      reason: 'ReconciliationFailed',
      retry: 'retrying',
    });
    expect(c.rootCause!.category).toBe('configuration');
    expect(c.rootCause!.message).toContain('dry-run failed');
    expect(c.revision).toBe(ks.status!.lastAppliedRevision);
    expect(ks.status!.lastAttemptedRevision).not.toBe(
      ks.status!.lastAppliedRevision,
    );
    expect(c.targetVersion).toMatch(/^main@[0-9a-f]{7}$/);
  });

  it('a path gone from the repository: ArtifactFailed, configuration', () => {
    const { cell } = load('kustomization-path-missing');
    const c = cell('Kustomization');
    expect(c.reason).toBe('ArtifactFailed');
    expect(c.rootCause!.category).toBe('configuration');
    expect(c.rootCause!.message).toMatch(/^kustomization path not found: /);
  });

  it('a template that never renders: observedGeneration -1 is Failed (not Progressing), retried forever, nothing deployed', () => {
    const { find, cell } = load('helmrelease-install-failed');
    const hr = find('HelmRelease');
    expect(hr.status!.observedGeneration).toBe(-1);
    expect(condition(hr, 'Stalled')).toBeUndefined();
    expect(classifyObject(hr)).toMatchObject({
      state: 'Failed',
      reason: 'InstallFailed',
    });
    expect(classifyObject(hr).stalled).toBeUndefined();
    const c = cell('HelmRelease');
    expect(c).toMatchObject({ state: 'Failed', retry: 'retrying' });
    expect(c.version).toBeUndefined();
    expect(c.rootCause!.category).toBe('configuration');
    expect(c.rootCause!.summary).toContain('execution error at (');
  });

  it('an upgrade rolled back with remediation: Stalled, so the cell says Flux gave up; the rollback is what runs', () => {
    const { find, cell } = load('helmrelease-upgrade-rolled-back');
    const hr = find('HelmRelease');
    expect(condition(hr, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
    });
    expect(classifyObject(hr)).toMatchObject({
      state: 'Failed',
      reason: 'RollbackSucceeded',
      stalled: true,
    });
    const deployed = deployedSnapshot(hr)!;
    expect(deployed.status).toBe('deployed');
    const c = cell('HelmRelease');
    expect(c).toMatchObject({
      state: 'Failed',
      retry: 'stalled',
      version: deployed.chartVersion,
      targetVersion: hr.status!.lastAttemptedRevision,
    });
    // Why it failed, from the Released condition: Ready says only that the rollback succeeded.
    expect(c.rootCause).toMatchObject({
      category: 'configuration',
      reason: 'RollbackSucceeded',
    });
    expect(c.rootCause!.summary).toMatch(
      /^HelmRelease helm-rollback\/notification-service failed to upgrade and was rolled back from chart version 1\.0\.0 in this environment: Helm upgrade failed for release helm-rollback\/notification-service with chart notification-service@1\.0\.0: .*ConfigMap "notification-service" is invalid: data\[not a valid key!\]/,
    );
    expect(c.chain.map(l => [l.ref.kind, l.classification.state])).toEqual([
      ['HelmRelease', 'Failed'],
      ['HelmRepository', 'Ready'],
      ['HelmChart', 'Ready'],
    ]);
    // The drill-down orders the Helm releases by revision, newest first.
    const revisions = objectHistory(hr).map(h => h.helmRevision!);
    expect(revisions).toEqual([...revisions].sort((a, b) => b - a));
    expect(objectHistory(hr)[0]).toMatchObject({
      status: 'deployed',
      revision: `notification-service@${deployed.chartVersion}`,
    });
  });

  it('a first install the API server rejects, uninstalled by its remediation: Stalled, the failure named, nothing running', () => {
    const { objects, find, cell } = load('helmrelease-install-uninstalled');
    const hr = find('HelmRelease');
    expect(condition(hr, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
    });
    expect(hr.status!.installFailures).toBe(2);
    const c = cell('HelmRelease');
    expect(c).toMatchObject({ state: 'Failed', retry: 'stalled' });
    expect(c.version).toBeUndefined();
    expect(c.targetVersion).toBe('0.4.0');
    expect(c.rootCause).toMatchObject({
      category: 'configuration',
      reason: 'InstallFailed',
    });
    expect(c.rootCause!.summary).toMatch(
      /^HelmRelease helm-install-remediated\/audit-log failed to install chart version 0\.4\.0 in this environment: Helm install failed .*ConfigMap "audit-log" is invalid/,
    );

    // Between an uninstall and the next attempt, helm-controller's summary
    // puts the remediation on Ready (Remediated=True, "Helm uninstall
    // remediation … succeeded"): the failure is still the Released one.
    const between = structuredClone(hr);
    between.status!.conditions = between.status!.conditions!.map(k =>
      k.type === 'Ready'
        ? {
            ...k,
            reason: 'UninstallSucceeded',
            message:
              'Helm uninstall remediation for release helm-install-remediated/audit-log.v1 with chart audit-log@0.4.0 succeeded',
          }
        : k,
    );
    const index = new ObjectIndex();
    for (const obj of objects) {
      const kind = kindOf(obj);
      if (kind) index.upsert(kind, obj === hr ? between : obj);
    }
    const remediated = clusterCell('HelmRelease', between, index, 'testbed');
    expect(remediated.rootCause).toMatchObject({ category: 'configuration' });
    expect(remediated.rootCause!.summary).toMatch(
      /^HelmRelease helm-install-remediated\/audit-log was uninstalled by its remediation after a failure with chart version 0\.4\.0 in this environment: Helm install failed .*ConfigMap "audit-log" is invalid/,
    );
  });

  it('the remediation helm-controller applied: upgrade retries 1 rolls back, its failures counted, the chain link carries it', () => {
    const { find, cell } = load('helmrelease-upgrade-rolled-back');
    const hr = find('HelmRelease');
    expect(helmRemediation(hr)).toEqual({
      install: { mode: 'none' },
      upgrade: {
        mode: 'remediate',
        retries: 1,
        strategy: 'rollback',
        remediateLastFailure: true,
      },
      installFailures: 0,
      upgradeFailures: 2,
    });
    expect(condition(hr, 'Remediated')).toMatchObject({ status: 'True' });
    const link = cell('HelmRelease').chain.find(l => l.role === 'workload')!;
    expect(link.remediation).toEqual(helmRemediation(hr));
    expect(link.conditions.map(c => c.type)).toContain('Remediated');
  });

  it('history entries without status (v2beta2 snapshots): the newest Helm revision is what runs', () => {
    const { find } = load('helmrelease-upgrade-rolled-back');
    const hr = find('HelmRelease');
    // The same snapshots as helm-controller before entries carried a status.
    const history = [...hr.status!.history!]
      .reverse()
      .map(({ status, ...rest }) => rest);
    const legacy = { ...hr, status: { ...hr.status, history } };
    const newest = Math.max(...history.map(h => h.version!));
    expect(deployedSnapshot(legacy)?.version).toBe(newest);
    expect(objectRevision(legacy)).toBe(
      history.find(h => h.version === newest)!.chartVersion,
    );
  });

  it('a HelmRelease helm-controller marked Ready before writing its history: the attempted chart runs', () => {
    const { find } = load('helmrelease-chartref-helmchart');
    const hr = find('HelmRelease');
    // As the controller writes it ≈30 ms before the history entry (observed).
    const { history, ...status } = hr.status!;
    const moment = { ...hr, status };
    expect(objectRevision(moment)).toBe(hr.status!.lastAttemptedRevision);
    expect(objectRevision(moment)).toBe(deployedSnapshot(hr)!.chartVersion);
    // Not while the release is still being attempted.
    const installing = {
      ...moment,
      status: {
        ...status,
        conditions: [
          { type: 'Ready', status: 'Unknown' as const, reason: 'Progressing' },
        ],
      },
    };
    expect(objectRevision(installing)).toBeUndefined();
  });

  it('a HelmRelease upgraded after a rollback, marked Ready before its history: the upgraded chart runs', () => {
    const { find } = load('helmrelease-upgrade-rolled-back');
    const hr = find('HelmRelease');
    const rolledBack = deployedSnapshot(hr)!.chartVersion;
    // The next good chart published: helm-controller's first write after
    // the upgrade (observed for 11 ms), before the history names it.
    const upgraded = {
      ...hr,
      status: {
        ...hr.status!,
        lastAttemptedRevision: '1.0.1',
        conditions: [
          {
            type: 'Ready',
            status: 'True' as const,
            reason: 'UpgradeSucceeded',
            observedGeneration: hr.metadata.generation,
          },
        ],
      },
    };
    expect(deployedSnapshot(upgraded)!.chartVersion).toBe(rolledBack);
    expect(objectRevision(upgraded)).toBe('1.0.1');
    // While Flux had given up, the rolled-back release is what runs.
    expect(objectRevision(hr)).toBe(rolledBack);
    expect(hr.status!.lastAttemptedRevision).not.toBe(rolledBack);
  });

  it('a HelmRepository index answering 401: reason Failed, authentication, named as the root cause', () => {
    const { find, cell } = load('helmrepository-unauthorized');
    const repo = find('HelmRepository');
    const ready = condition(repo, 'Ready')!;
    expect(ready.reason).toBe('Failed');
    expect(failureCategory('Failed', ready.reason, ready.message)).toBe(
      'authentication',
    );
    const c = cell('HelmRelease');
    expect(c.state).toBe('Failed');
    expect(c.rootCause).toMatchObject({
      category: 'authentication',
      reason: 'Failed',
      ref: expect.objectContaining({ kind: 'HelmRepository' }),
    });
    expect(c.rootCause!.summary).toMatch(
      /cannot fetch the index of http:\/\/127\.0\.0\.1:\d+\/private \(credentials rejected\): failed to fetch Helm repository index: .* : 401 Unauthorized$/,
    );
    // helm-controller keeps the release it installed.
    expect(c.version).toBe('2.3.0');
  });

  it('a Helm repository server down: reason Failed, network', () => {
    const { cell } = load('helmrepository-server-down');
    const c = cell('HelmRelease');
    expect(c.rootCause).toMatchObject({
      category: 'network',
      reason: 'Failed',
    });
  });

  it('a HelmRelease chartRef to a HelmChart: the chart and its HelmRepository in the chain', () => {
    const { cell } = load('helmrelease-chartref-helmchart');
    const c = cell('HelmRelease');
    expect(c.state).toBe('Ready');
    expect(c.version).toBe('3.2.1');
    expect(c.chain.map(l => [l.ref.kind, l.role, l.found])).toEqual([
      ['HelmRelease', 'workload', true],
      ['HelmRepository', 'source', true],
      ['HelmChart', 'chart', true],
    ]);
  });

  it('a HelmRelease chartRef to an OCIRepository: no HelmChart, the OCIRepository as source', () => {
    const { cell } = load('helmrelease-chartref-ocirepository');
    const c = cell('HelmRelease');
    expect(c.state).toBe('Ready');
    // helm-controller appends the artifact digest to a chart from an OCIRepository.
    expect(c.version).toMatch(/^1\.4\.0\+[0-9a-f]{12}$/);
    expect(c.chain.map(l => [l.ref.kind, l.classification.state])).toEqual([
      ['HelmRelease', 'Ready'],
      ['OCIRepository', 'Ready'],
    ]);
    expect(c.chain[1].classification.revision).toMatch(/^1\.4\.0@sha256:/);
  });

  it('a Kustomization applying from a Bucket: the Bucket as source, with its endpoint and artifact', () => {
    const { find, cell } = load('kustomization-bucket');
    const bucket = find('Bucket');
    const c = cell('Kustomization');
    expect(c.state).toBe('Ready');
    expect(c.chain.map(l => [l.ref.kind, l.classification.state])).toEqual([
      ['Kustomization', 'Ready'],
      ['Bucket', 'Ready'],
    ]);
    expect(objectRevision(bucket)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(c.revision).toBe(objectRevision(bucket));
    expect(linkFacts(bucket)).toEqual(
      expect.arrayContaining([
        {
          key: 'bucket',
          label: 'Bucket',
          value: expect.stringMatching(/^127\.0\.0\.1:\d+\/manifests$/),
        },
        { key: 'provider', label: 'Provider', value: 'generic' },
      ]),
    );
  });

  it('ExternalArtifacts as a Kustomization source and a HelmRelease chartRef', () => {
    const { cell } = load('externalartifact-sources');
    const ks = cell('Kustomization');
    expect(ks.state).toBe('Ready');
    expect(ks.chain.map(l => l.ref.kind)).toEqual([
      'Kustomization',
      'ExternalArtifact',
    ]);
    const hr = cell('HelmRelease');
    expect(hr.state).toBe('Ready');
    expect(hr.version).toMatch(/^0\.3\.0\+[0-9a-f]{12}$/);
    expect(hr.chain.map(l => l.ref.kind)).toEqual([
      'HelmRelease',
      'ExternalArtifact',
    ]);
    expect(hr.chain[1].facts).toContainEqual({
      key: 'generatedBy',
      label: 'Generated by',
      value: 'ArtifactGenerator/app-chart',
    });
  });

  it('a KuboCD Release whose package pull is refused: Failed with the OCIRepository as cause, the pulled tag running', () => {
    const { find, cell } = load('kubocd-wait-oci');
    const c = cell('Release');
    expect(c).toMatchObject({
      state: 'Failed',
      phase: 'WAIT_OCI',
      version: '6.7.1-p01',
      targetVersion: '6.7.1-p02',
      retry: 'retrying',
    });
    expect(c.rootCause).toMatchObject({
      category: 'authentication',
      reason: 'OCIArtifactPullFailed',
      ref: expect.objectContaining({
        kind: 'OCIRepository',
        name: 'kcd-podinfo',
      }),
    });
    expect(c.rootCause!.message).toContain(
      'UNAUTHORIZED: authentication required',
    );
    expect(find('Release').status!.phase).toBe('WAIT_OCI');
  });

  it('a KuboCD Release waiting for a HelmRelease that cannot render: the HelmRelease is the cause', () => {
    const { cell } = load('kubocd-wait-hrel');
    const c = cell('Release');
    expect(c).toMatchObject({ state: 'Failed', phase: 'WAIT_HREL' });
    expect(c.rootCause).toMatchObject({
      category: 'configuration',
      reason: 'InstallFailed',
      ref: expect.objectContaining({
        kind: 'HelmRelease',
        name: 'web-frontend-main',
      }),
    });
    expect(c.rootCause!.summary).toContain('fqdn is required');
  });

  it('a ready KuboCD Release: the whole chain Ready, the pulled tag as version', () => {
    const { cell } = load('kubocd-ready');
    const c = cell('Release');
    expect(c).toMatchObject({ state: 'Ready', version: '6.7.1-p01' });
    expect(c.chain.map(l => `${l.ref.kind}/${l.classification.state}`)).toEqual(
      [
        'Release/Ready',
        'OCIRepository/Ready',
        'HelmRepository/Ready',
        'HelmRelease/Ready',
        'HelmChart/Ready',
      ],
    );
  });
});
