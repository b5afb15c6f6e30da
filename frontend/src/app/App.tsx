import { lazy, Suspense } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../api/errors';
import { useCredentials } from '../auth/useAuth';
import { SignInPage } from '../auth/SignInPage';
import { Layout } from './Layout';
import { Loading } from '../components/ui';

// Each screen is its own chunk: the first page loads only the shell and the screen it opens.
const SessionListPage = lazy(() => import('../features/sessions/SessionListPage'));
const SessionDetailPage = lazy(() => import('../features/sessions/SessionDetailPage'));
const StorageBackendsPage = lazy(() => import('../features/storage/StorageBackendsPage'));
const NodesPage = lazy(() => import('../features/nodes/NodesPage'));
const ApiKeysPage = lazy(() => import('../features/apikeys/ApiKeysPage'));
const CloneWizardPage = lazy(() => import('../features/wizard/CloneWizardPage'));
const PlanEditorPage = lazy(() => import('../features/plans/PlanEditorPage'));

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A refusal will not change by asking again; a network hiccup may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
}

const queryClient = createQueryClient();

export function AppRoutes() {
  const credentials = useCredentials();
  if (!credentials) return <SignInPage />;
  return (
    <Layout>
      <Suspense fallback={<Loading what="the screen" />}>
        <Routes>
          <Route path="/" element={<Navigate to="/sessions" replace />} />
          <Route path="/sessions" element={<SessionListPage />} />
          <Route path="/sessions/new" element={<CloneWizardPage />} />
          <Route path="/sessions/:id" element={<SessionDetailPage />} />
          <Route path="/sessions/:id/plans" element={<PlanEditorPage />} />
          <Route path="/storage" element={<StorageBackendsPage />} />
          <Route path="/nodes" element={<NodesPage />} />
          <Route path="/api-keys" element={<ApiKeysPage />} />
          <Route path="*" element={<p>There is no such page. <a href="/sessions">Sessions</a></p>} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
