/*
 * The real-Flux part of the testbed itself: the controllers and the source
 * servers run as processes started and stopped by pid, and each source's
 * switches (credentials, down/up) do what the scenarios rely on, seen from a
 * client as Flux sees it. What Flux then writes is tested in the backend's
 * realFlux*.integration.test.ts.
 */
import fs from 'node:fs';
import { fluxArtifact, packageChart } from '../flux/archives';
import { FLUX_CONTROLLERS } from '../flux/controllers';
import { REGISTRY_PULL_CREDENTIALS } from '../flux/registry';
import {
  FluxTestbed,
  SOURCE_CREDENTIALS,
  startFluxTestbed,
} from '../flux/testbed';
import { configMapChart, configMapManifest } from '../flux/workloads';

jest.setTimeout(120_000);

const basic = (c: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);

async function status(url: string, authorization?: string) {
  try {
    const res = await fetch(url, {
      headers: {
        // The registry serves an OCI manifest only to a client that accepts one.
        Accept: 'application/vnd.oci.image.manifest.v1+json, */*',
        ...(authorization && { Authorization: authorization }),
      },
    });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return ((error as Error).cause as NodeJS.ErrnoException)?.code;
  }
}

describe('the real-Flux testbed', () => {
  let testbed: FluxTestbed | undefined;
  const pids: number[] = [];

  beforeAll(async () => {
    testbed = await startFluxTestbed(['one']);
  });

  afterAll(async () => {
    await testbed?.stop();
  });

  it('runs the three controllers and the source servers as processes it knows by pid', () => {
    const { flux, cp } = testbed!.cluster('one');
    const controllers = flux.pids();
    expect(Object.keys(controllers).sort()).toEqual(
      [...FLUX_CONTROLLERS].sort(),
    );
    const { git, registry } = testbed!.sources;
    pids.push(
      ...Object.values(controllers),
      cp.pids.etcd,
      cp.pids.apiServer,
      git.pid()!,
      registry.pid(),
    );
    expect(pids.every(alive)).toBe(true);
    for (const name of FLUX_CONTROLLERS) {
      expect(fs.readFileSync(flux.logFile(name), 'utf8')).toContain(
        'starting manager',
      );
    }
  });

  it('serves git over smart HTTP with switchable basic auth, and goes down and up on the same port', async () => {
    const { git } = testbed!.sources;
    await git.commit(
      'app',
      { 'deploy/a.yaml': configMapManifest('a', { v: '1' }) },
      'first',
    );
    const refs = `${git.repositoryUrl(
      'app',
    )}/info/refs?service=git-upload-pack`;
    expect(await status(refs)).toBe(401);
    expect(await status(refs, basic(SOURCE_CREDENTIALS.git))).toBe(200);
    await git.setCredentials(undefined);
    expect(await status(refs)).toBe(200);
    await git.stop();
    expect(await status(refs)).toBe('ECONNREFUSED');
    await git.start();
    await git.setCredentials(SOURCE_CREDENTIALS.git);
    expect(await status(refs, basic(SOURCE_CREDENTIALS.git))).toBe(200);
  });

  it('serves Helm repositories, each with or without credentials', async () => {
    const { helm } = testbed!.sources;
    helm.setCredentials('private', SOURCE_CREDENTIALS.helm);
    helm.publish(
      'private',
      packageChart(configMapChart({ name: 'a', version: '1.0.0' })),
    );
    helm.publish(
      'public',
      packageChart(configMapChart({ name: 'b', version: '2.0.0' })),
    );
    const index = (repo: string) => `${helm.repositoryUrl(repo)}/index.yaml`;
    expect(await status(index('private'))).toBe(401);
    expect(await status(index('private'), basic(SOURCE_CREDENTIALS.helm))).toBe(
      200,
    );
    expect(await status(index('public'))).toBe(200);
    const text = await (await fetch(index('public'))).text();
    expect(text).toContain(`${helm.repositoryUrl('public')}/b-2.0.0.tgz`);
    await helm.stop();
    // The client's kept-alive connection breaks first; a new one is refused.
    expect(await status(index('public'))).toMatch(
      /^(UND_ERR_SOCKET|ECONNREFUSED)$/,
    );
    expect(await status(index('public'))).toBe('ECONNREFUSED');
    await helm.start();
    expect(await status(index('public'))).toBe(200);
  });

  it('holds pushed artifacts in the registry and refuses or allows the clusters’ pulls', async () => {
    const { registry } = testbed!.sources;
    const digest = await registry.push(
      'apps/app',
      'v1',
      fluxArtifact(
        { 'a.yaml': 'kind: ConfigMap\n' },
        { source: 'testbed', revision: 'v1' },
      ),
    );
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const manifest = `http://${registry.host}/v2/apps/app/manifests/v1`;
    const pull = basic(REGISTRY_PULL_CREDENTIALS);
    expect(await status(manifest, pull)).toBe(200);
    registry.rejectPulls();
    expect(await status(manifest, pull)).toBe(401);
    registry.acceptPulls();
    expect(await status(manifest, pull)).toBe(200);
  });

  it('stops every process it started', async () => {
    await testbed!.stop();
    expect(pids.filter(alive)).toEqual([]);
  });
});
