import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import YAML from 'yaml';

/** File contents by path (relative, '/'-separated). */
export type Files = Record<string, string | Buffer>;

/**
 * A gzipped tarball of `files`, byte for byte the same for the same files:
 * sorted entries, portable headers, a fixed mtime. Flux computes digests of
 * what it downloads, so an unchanged chart or artifact keeps its revision.
 */
export function tarGz(files: Files): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-testbed-tar-'));
  try {
    const names = Object.keys(files).sort();
    for (const name of names) {
      if (name.startsWith('/') || name.split('/').includes('..')) {
        throw new Error(
          `kube-testbed: archive entry ${name} escapes the archive`,
        );
      }
      fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), files[name]);
    }
    const out = path.join(dir, '..', `${path.basename(dir)}.tgz`);
    tar.create(
      {
        gzip: true,
        file: out,
        cwd: dir,
        sync: true,
        portable: true,
        mtime: new Date(0),
        noDirRecurse: true,
      },
      names,
    );
    const data = fs.readFileSync(out);
    fs.rmSync(out);
    return data;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const sha256 = (data: Buffer | string) =>
  crypto.createHash('sha256').update(data).digest('hex');

/** A Helm chart made of ConfigMaps only: no kubelet runs in the testbed. */
export interface ChartSpec {
  name: string;
  version: string;
  appVersion?: string;
  /** values.yaml. */
  values?: Record<string, unknown>;
  /** templates/<file>: Helm templates (ConfigMaps, Secrets, Services). */
  templates: Record<string, string>;
}

/** A packaged chart: the .tgz `helm package` would write, and its index entry. */
export interface ChartArchive {
  name: string;
  version: string;
  appVersion?: string;
  fileName: string;
  data: Buffer;
  digest: string;
}

/** The files of a chart directory: Chart.yaml, values.yaml, templates/. */
export function chartFiles(chart: ChartSpec): Files {
  const files: Files = {
    'Chart.yaml': YAML.stringify({
      apiVersion: 'v2',
      name: chart.name,
      version: chart.version,
      appVersion: chart.appVersion ?? chart.version,
      description: `${chart.name}: ConfigMaps only (kube-testbed)`,
      type: 'application',
    }),
    'values.yaml': YAML.stringify(chart.values ?? {}),
  };
  for (const [file, text] of Object.entries(chart.templates)) {
    files[`templates/${file}`] = text;
  }
  return files;
}

/** Packages a chart as `helm package` lays it out: `<name>/Chart.yaml`, values, templates. */
export function packageChart(chart: ChartSpec): ChartArchive {
  const files = Object.fromEntries(
    Object.entries(chartFiles(chart)).map(([file, content]) => [
      `${chart.name}/${file}`,
      content,
    ]),
  );
  const data = tarGz(files);
  return {
    name: chart.name,
    version: chart.version,
    appVersion: chart.appVersion ?? chart.version,
    fileName: `${chart.name}-${chart.version}.tgz`,
    data,
    digest: sha256(data),
  };
}

/**
 * An artifact as `flux push artifact` writes it: an empty Flux config and
 * one tar+gzip layer of the files, with the source and revision annotations
 * source-controller reports.
 */
export function fluxArtifact(
  files: Files,
  meta: { source: string; revision: string },
) {
  return {
    config: {
      mediaType: 'application/vnd.cncf.flux.config.v1+json',
      data: Buffer.from('{}'),
    },
    layers: [
      {
        mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip',
        data: tarGz(files),
      },
    ],
    annotations: {
      'org.opencontainers.image.created': new Date(0).toISOString(),
      'org.opencontainers.image.source': meta.source,
      'org.opencontainers.image.revision': meta.revision,
    },
  };
}

/** The layer KuboCD's OCIRepository selects (`layerSelector.mediaType`, operation extract). */
export const KUBOCD_PACKAGE_CONTENT =
  'application/vnd.kubotal.kubocd.package.content.v1.tar+gzip';

/** One module of a KuboCD package: its chart and what KuboCD puts in its HelmRelease. */
export interface PackageModuleSpec {
  chart: ChartSpec;
  /** Default values (the Release's parameters are merged over them). */
  values?: Record<string, unknown>;
  /** HelmRelease spec fields of the module: install, upgrade, timeout... */
  helmRelease?: Record<string, unknown>;
}

/**
 * A KuboCD package image as `kubocd package` pushes it: the package
 * manifest as config, and one content layer holding the manifest and each
 * module's packaged chart (which the KuboCD controller serves to its
 * HelmRepository; src/flux/kubocd.ts plays that part).
 */
export function kuboCdPackage(pkg: {
  name: string;
  tag: string;
  modules: Record<string, PackageModuleSpec>;
}) {
  const manifest = {
    apiVersion: 'v1alpha1',
    type: 'Package',
    name: pkg.name,
    tag: pkg.tag,
    modules: Object.entries(pkg.modules).map(([name, module]) => ({
      name,
      chart: `${module.chart.name}@${module.chart.version}`,
      values: module.values,
      helmRelease: module.helmRelease,
    })),
  };
  const files: Files = { 'package.yaml': YAML.stringify(manifest) };
  for (const [name, module] of Object.entries(pkg.modules)) {
    const chart = packageChart(module.chart);
    files[`charts/${name}/${chart.fileName}`] = chart.data;
  }
  return {
    config: {
      mediaType: 'application/vnd.kubotal.kubocd.package.config.v1alpha1+json',
      data: Buffer.from(JSON.stringify(manifest)),
    },
    layers: [{ mediaType: KUBOCD_PACKAGE_CONTENT, data: tarGz(files) }],
  };
}

/** The layer an OCIRepository selects (operation copy) for a Helm chart pushed to a registry. */
export const HELM_CHART_CONTENT =
  'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** A chart as `helm push` stores it in an OCI registry: Chart.yaml as config, the .tgz as layer. */
export function helmOciChart(chart: ChartSpec) {
  const archive = packageChart(chart);
  return {
    config: {
      mediaType: 'application/vnd.cncf.helm.config.v1+json',
      data: Buffer.from(
        JSON.stringify({
          apiVersion: 'v2',
          name: chart.name,
          version: chart.version,
          appVersion: archive.appVersion,
          type: 'application',
        }),
      ),
    },
    layers: [{ mediaType: HELM_CHART_CONTENT, data: archive.data }],
    annotations: {
      'org.opencontainers.image.title': chart.name,
      'org.opencontainers.image.version': chart.version,
    },
  };
}
