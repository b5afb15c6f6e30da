import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { setCredentials, type Role } from '../auth/credentials';

/** Renders with the app's providers; queries never retry and nothing is fetched unless a test asks. */
export function renderWithApp(ui: ReactElement, { role = 'admin' as Role, route = '/' } = {}) {
  setCredentials({ apiKey: 'pbk_test', token: 'jwt.test', expiresAt: Date.now() + 600_000, role, subject: role, keyId: null });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  return { client, ...render(<QueryClientProvider client={client}><MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter></QueryClientProvider>) };
}
