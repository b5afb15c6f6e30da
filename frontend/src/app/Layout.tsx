import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useCredentials } from '../auth/useAuth';
import { signOut } from '../auth/signIn';
import { Button } from '../components/ui';

export function Layout({ children }: { children: ReactNode }) {
  const credentials = useCredentials();
  const queryClient = useQueryClient();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">PureBoot Clone</span>
        <nav aria-label="Main">
          <NavLink to="/sessions">Sessions</NavLink>
          <NavLink to="/storage">Storage</NavLink>
          <NavLink to="/nodes">Nodes</NavLink>
          {credentials?.role === 'admin' && <NavLink to="/api-keys">API keys</NavLink>}
        </nav>
        <div className="who">
          <span>Signed in: {credentials?.role} ({credentials?.subject})</span>
          <Button onPress={() => { signOut(); queryClient.clear(); }}>Sign out</Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
