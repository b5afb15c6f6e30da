import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCredentials, setCredentials } from './credentials';
import { SignInPage } from './SignInPage';

afterEach(() => { vi.unstubAllGlobals(); setCredentials(null); });

describe('SignInPage', () => {
  it('shows a refused key at the key field and keeps nothing', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(null, { status: 401 })));
    render(<SignInPage />);
    await userEvent.type(screen.getByLabelText('API key'), 'pbk_wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('is not a valid API key')).toBeInTheDocument();
    expect(screen.getByLabelText('API key')).toHaveAttribute('aria-invalid', 'true');
    expect(getCredentials()).toBeNull();
  });

  it('learns the role from the key list: 403 is a viewer; the key goes in a header only', async () => {
    const fetchSpy = vi.fn().mockResolvedValue(new Response(null, { status: 403 }));
    vi.stubGlobal('fetch', fetchSpy);
    render(<SignInPage />);
    await userEvent.type(screen.getByLabelText('API key'), 'pbk_viewer');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(getCredentials()).toMatchObject({ role: 'viewer', token: 'pbk_viewer' }));
    const [url, init] = fetchSpy.mock.calls[0];
    expect(url).toBe('/api/v1/api-keys');
    expect(init.headers).toEqual({ Authorization: 'Bearer pbk_viewer' });
    expect(sessionStorage.getItem('pureboot.credentials')).toContain('viewer');
  });
});
