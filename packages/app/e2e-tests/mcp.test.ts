import { expect, test } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * A real MCP client against the demo portal's own backend
 * (packages/backend: the MCP actions backend, the actions registry, the
 * demo permission policy), signed in as guest as the browser tests are:
 * what an AI assistant connected to this Backstage sees.
 */
test.describe('Promotion answers through the MCP actions backend', () => {
  let client: Client;

  test.beforeAll(async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const refresh = await api.get('/api/auth/guest/refresh?env=development', {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(refresh.ok()).toBe(true);
    const token = (await refresh.json()).backstageIdentity.token as string;
    await api.dispose();
    client = new Client({ name: 'gitops-promotion-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL('/api/mcp-actions/v1', baseURL),
        { requestInit: { headers: { Authorization: `Bearer ${token}` } } },
      ),
    );
  });

  test.afterAll(async () => {
    await client?.close();
  });

  async function call(name: string, args: Record<string, unknown>) {
    const result = (await client.callTool({
      name: `gitops-promotion.${name}`,
      arguments: args,
    })) as { isError?: boolean; content: Array<{ text: string }> };
    return { isError: !!result.isError, text: result.content[0].text };
  }

  test('lists the four tools and answers each as the demo policy allows', async () => {
    const { tools } = await client.listTools();
    expect(
      tools
        .map(t => t.name)
        .filter(n => n.startsWith('gitops-promotion.'))
        .sort(),
    ).toEqual([
      'gitops-promotion.explain-workload-failure',
      'gitops-promotion.get-promotion-status',
      'gitops-promotion.list-pending-promotions',
      'gitops-promotion.reconcile-workload',
    ]);

    const status = await call('get-promotion-status', {
      entityRef: 'component:default/podinfo',
    });
    expect(status.isError).toBe(false);
    const staging = JSON.parse(status.text).workloads[0].environments.find(
      (e: { environment: string }) => e.environment === 'staging',
    );
    expect(staging).toMatchObject({ state: 'Failed', version: '6.7.1-p01' });

    const why = await call('explain-workload-failure', {
      entityRef: 'component:default/podinfo',
      workload: 'podinfo',
      environment: 'staging',
    });
    expect(JSON.parse(why.text).summary).toContain(
      'OCIRepository apps/kcd-podinfo cannot pull oci://quay.io/kubodoc/packages/podinfo:6.7.1-p02 (credentials rejected)',
    );

    const pending = JSON.parse(
      (await call('list-pending-promotions', { owner: 'team-payments' })).text,
    );
    expect(pending.pending[0]).toMatchObject({
      entityRef: 'component:default/payments-api',
      from: 'staging',
      to: 'production',
      behindBy: 2,
    });

    // guest owns podinfo (team-platform): the policy lets owners act in
    // staging, only the on-call group in production.
    const staged = await call('reconcile-workload', {
      entityRef: 'component:default/podinfo',
      workload: 'podinfo',
      environment: 'staging',
    });
    expect(staged.isError).toBe(false);
    expect(JSON.parse(staged.text).requested[0].message).toBe(
      'Requested a reconcile of OCIRepository apps/kcd-podinfo in cluster staging-eu.',
    );
    const refused = await call('reconcile-workload', {
      entityRef: 'component:default/podinfo',
      workload: 'podinfo',
      environment: 'production',
    });
    // Refused everywhere: the workload's own refusal (a Release's
    // HelmRelease), not its source's.
    expect(refused).toEqual({
      isError: true,
      text: 'NotAllowedError: The permission policy does not allow gitops-promotion.object.reconcile on HelmRelease apps/podinfo-main in cluster prod-eu (environment production)',
    });
  });
});
