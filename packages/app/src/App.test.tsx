import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  const env = process.env;
  afterEach(() => {
    process.env = env;
  });

  it('renders the sign-in page of the configured app', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // The guest sign-in the demo uses: the app came up with its config.
    expect(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 10_000 }),
    ).toBeVisible();
    expect(screen.getByText('Test')).toBeInTheDocument();
  });
});
