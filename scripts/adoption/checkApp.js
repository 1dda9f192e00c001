#!/usr/bin/env node
/*
 * Checks a running adopter app (backend serving the built frontend), as
 * the adoption test needs it. The entity and versions are those of the
 * README's "Try it without clusters" step.
 *
 *   checkApp.js clusters <url>   README's cluster config: the promotion API answers
 *                                for podinfo with its three environments, each of its
 *                                four clusters reported UNREACHABLE (no DNS here)
 *   checkApp.js tokenFile <url>  README's token-file credentials module: the
 *                                production cluster vault-eu, whose authProvider
 *                                is tokenFile, reported UNREACHABLE (its token was read)
 *   checkApp.js fixtures <url>   README's fixtures: podinfo runs 6.7.1 (Ready) in
 *                                development and 6.7.0 (Ready) in production, behind
 *   checkApp.js browser <url> <screenshot.png>
 *                                the Promotion tab in Chromium shows that matrix
 *
 * Exits 1 with what differs; waits up to 90 s for the catalog and caches.
 */
'use strict';

const ENTITY = 'default/component/podinfo';
const WAIT_MS = 90_000;

async function guestToken(url) {
  const res = await fetch(`${url}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in: HTTP ${res.status} ${await res.text()}`);
  }
  return (await res.json()).backstageIdentity.token;
}

/** Polls the promotion view until `problem(view)` returns nothing. */
async function untilView(url, problem) {
  const token = await guestToken(url);
  const deadline = Date.now() + WAIT_MS;
  let last = 'no answer yet';
  for (;;) {
    const res = await fetch(
      `${url}/api/gitops-promotion/v1/entities/${ENTITY}/promotion`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const body = await res.text();
    if (res.ok) {
      const view = JSON.parse(body);
      last = problem(view);
      if (!last) return view;
    } else {
      // 404 until the catalog has read examples/entities.yaml
      last = `HTTP ${res.status}: ${body.slice(0, 300)}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`after ${WAIT_MS / 1000} s: ${last}`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

const environmentsOf = view => view.environments.map(e => e.name).join(',');

/**
 * The promotion API answers for podinfo with `environments`, each cluster
 * of `want` reported UNREACHABLE (no DNS here): its credential was got
 * (a failed one is UNAUTHORIZED) and the request sent.
 */
async function unreachable(url, environments, want) {
  const view = await untilView(url, v => {
    if (environmentsOf(v) !== environments) {
      return `environments are ${environmentsOf(v)}`;
    }
    const reported = new Set(
      v.clusterErrors
        .filter(e => e.type === 'UNREACHABLE' && !e.kind)
        .map(e => e.cluster),
    );
    const missing = want.filter(c => !reported.has(c));
    return missing.length
      ? `not reported unreachable yet: ${missing} (${JSON.stringify(
          v.clusterErrors,
        )})`
      : undefined;
  });
  for (const e of view.clusterErrors) {
    console.log(`  ${e.cluster}: ${e.type}: ${e.message}`);
  }
}

const clusters = url =>
  unreachable(url, 'development,staging,production', [
    'dev-eu',
    'staging-eu',
    'prod-eu',
    'prod-us',
  ]);

const tokenFile = url => unreachable(url, 'production', ['vault-eu']);

async function fixtures(url) {
  const cell = (v, env) =>
    v.workloads[0]?.cells.find(c => c.environment === env);
  const view = await untilView(url, v => {
    if (environmentsOf(v) !== 'development,production') {
      return `environments are ${environmentsOf(v)}`;
    }
    if (
      v.workloads.length !== 1 ||
      v.workloads[0].id !== 'HelmRelease/podinfo'
    ) {
      return `workloads are ${v.workloads.map(w => w.id)}`;
    }
    const dev = cell(v, 'development');
    const prod = cell(v, 'production');
    if (dev?.state !== 'Ready' || dev.version !== '6.7.1') {
      return `development is ${dev?.state} ${dev?.version}`;
    }
    if (prod?.state !== 'Ready' || prod.version !== '6.7.0') {
      return `production is ${prod?.state} ${prod?.version}`;
    }
    const step = v.workloads[0].promotions[0];
    if (step?.relation !== 'behind') {
      return `production relates to development as ${step?.relation}`;
    }
    if (v.clusterErrors.length) {
      return `cluster errors: ${JSON.stringify(v.clusterErrors)}`;
    }
    return undefined;
  });
  const [dev, prod] = view.workloads[0].cells;
  console.log(
    `  podinfo: development ${dev.state} ${dev.version}, production ${prod.state} ${prod.version}, ${view.workloads[0].promotions[0].relation}`,
  );
}

async function browser(url, screenshot) {
  const { chromium } = require('playwright-core');
  const launched = await chromium.launch(require('../lib/chromium'));
  const page = await launched.newPage({
    viewport: { width: 1440, height: 960 },
  });
  page.setDefaultTimeout(WAIT_MS);
  try {
    await page.goto(`${url}/`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByRole('link', { name: 'Catalog', exact: true })
      .first()
      .waitFor();
    await page.goto(`${url}/catalog/${ENTITY}/promotion`);
    const matrix = page.getByRole('table', {
      name: 'Versions and states per environment',
    });
    await matrix.getByRole('rowheader', { name: /podinfo/ }).waitFor();
    const expectations = [
      /^podinfo in development: Ready\b.*version 6\.7\.1\b/,
      /^podinfo in production: Ready\b.*version 6\.7\.0\b/,
    ];
    for (const name of expectations) {
      await matrix.getByRole('button', { name }).waitFor();
    }
    const behind = matrix.getByText(/pending promotion/i);
    await behind.first().waitFor();
    console.log(
      '  matrix: podinfo 6.7.1 Ready in development, 6.7.0 Ready in production, pending promotion',
    );
  } finally {
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    await launched.close();
  }
}

const [command, url, arg] = process.argv.slice(2);
const commands = { clusters, tokenFile, fixtures, browser };
if (!commands[command] || !url) {
  console.error(
    'usage: checkApp.js clusters|tokenFile|fixtures|browser <url> [screenshot]',
  );
  process.exit(2);
}
commands[command](url, arg).catch(error => {
  console.error(`${command}: ${error.message}`);
  process.exit(1);
});
