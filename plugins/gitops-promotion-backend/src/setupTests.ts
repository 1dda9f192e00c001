// The Kubernetes plugin's ServiceAccountStrategy loads client-node with a
// dynamic import(), which Jest's CommonJS runtime cannot run; the class
// takes the module injected instead, for tests.
jest.mock('@backstage/plugin-kubernetes-backend', () => {
  const actual = jest.requireActual('@backstage/plugin-kubernetes-backend');
  return {
    ...actual,
    ServiceAccountStrategy: class extends actual.ServiceAccountStrategy {
      injectedKubernetesClient = jest.requireActual('@kubernetes/client-node');
    },
  };
});

// Many tests start a whole backend (startTestBackend on the demo fixtures):
// ≈1-3 s alone, more with the test command's other workers on two cores.
jest.setTimeout(30_000);
