import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { demoConfig, startDemo } from '../../__testUtils__/demoBackend';

/**
 * A real MCP client against the real MCP actions backend, the real
 * actions registry and actions services, and this plugin on the demo's
 * fixture clusters: what an assistant connected to Backstage sees.
 */
describe('the actions through a real MCP client', () => {
  let client: Client;

  beforeAll(async () => {
    const config = demoConfig();
    const server = await startDemo(
      [mcpActionsPlugin, actionsRegistryServiceFactory, actionsServiceFactory],
      {
        ...config,
        backend: { actions: { pluginSources: ['gitops-promotion'] } },
      },
    );
    client = new Client({ name: 'gitops-promotion-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://localhost:${server.port()}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header() },
          },
        },
      ),
    );
  });

  afterAll(async () => {
    await client?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({
      name: `gitops-promotion.${name}`,
      arguments: args,
    })) as {
      isError?: boolean;
      content: Array<{ type: string; text: string }>;
    };
    return { isError: !!result.isError, text: result.content[0].text };
  };

  it('lists the four tools with their annotations', async () => {
    const { tools } = await client.listTools();
    const ours = tools.filter(t =>
      [
        'get-promotion-status',
        'explain-workload-failure',
        'list-pending-promotions',
        'reconcile-workload',
      ].some(n => t.name.endsWith(n)),
    );
    expect(ours.map(t => [t.name, t.annotations?.readOnlyHint]).sort()).toEqual(
      [
        ['gitops-promotion.explain-workload-failure', true],
        ['gitops-promotion.get-promotion-status', true],
        ['gitops-promotion.list-pending-promotions', true],
        ['gitops-promotion.reconcile-workload', false],
      ],
    );
    const status = ours.find(
      t => t.name === 'gitops-promotion.get-promotion-status',
    )!;
    expect(status.inputSchema.required).toEqual(['entityRef']);
  });

  it('does not list reconcile-workload to a caller the policy does not let use it', async () => {
    const denying = await startDemo(
      [
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'gitops-promotion.reconcile-action.use'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
      {
        ...demoConfig(),
        backend: { actions: { pluginSources: ['gitops-promotion'] } },
      },
    );
    const other = new Client({ name: 'denied', version: '1.0.0' });
    await other.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://localhost:${denying.port()}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header() },
          },
        },
      ),
    );
    try {
      const { tools } = await other.listTools();
      expect(
        tools.map(t => t.name).filter(n => n.startsWith('gitops-promotion.')),
      ).toEqual([
        'gitops-promotion.get-promotion-status',
        'gitops-promotion.explain-workload-failure',
        'gitops-promotion.list-pending-promotions',
      ]);
      const result = (await other.callTool({
        name: 'gitops-promotion.reconcile-workload',
        arguments: {
          entityRef: 'component:default/payments-api',
          workload: 'payments-api',
          environment: 'development',
        },
      })) as { isError?: boolean; content: Array<{ text: string }> };
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toContain('not found');
    } finally {
      await other.close();
    }
  });

  it('calls each tool', async () => {
    const status = await call('get-promotion-status', {
      entityRef: 'component:default/payments-api',
    });
    expect(status).toMatchObject({ isError: false });
    const statusJson = JSON.parse(status.text);
    expect(statusJson.workloads[0].pendingPromotions).toHaveLength(2);

    const explain = await call('explain-workload-failure', {
      entityRef: 'component:default/podinfo',
      workload: 'podinfo',
      environment: 'staging',
    });
    expect(explain.isError).toBe(false);
    expect(JSON.parse(explain.text).clusters[0].rootCause.category).toBe(
      'authentication',
    );

    const pending = await call('list-pending-promotions', {
      owner: 'team-payments',
    });
    expect(pending.isError).toBe(false);
    expect(
      JSON.parse(pending.text).pending.map((p: any) => p.entityRef),
    ).toContain('component:default/payments-api');

    const reconcile = await call('reconcile-workload', {
      entityRef: 'component:default/payments-api',
      workload: 'payments-api',
      environment: 'development',
    });
    expect(reconcile.isError).toBe(false);
    expect(JSON.parse(reconcile.text).requested.length).toBeGreaterThan(0);

    const unknown = await call('get-promotion-status', {
      entityRef: 'component:default/nope',
    });
    expect(unknown).toEqual({
      isError: true,
      text: expect.stringContaining(
        'No entity component:default/nope in the catalog',
      ),
    });

    if (process.env.GITOPS_PROMOTION_PRINT_ACTIONS) {
      // eslint-disable-next-line no-console
      console.log(
        JSON.stringify(
          { status, explain, pending, reconcile, unknown },
          null,
          2,
        ),
      );
    }
  });
});
