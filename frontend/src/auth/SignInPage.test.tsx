import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCredentials, setCredentials } from './credentials';
import { renewToken } from './signIn';
import { SignInPage } from './SignInPage';

afterEach(() => { vi.unstubAllGlobals(); setCredentials(null); });

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

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

  it('exchanges the key for a token and learns the role from whoami; the key goes in a header only', async () => {
    const fetchSpy = vi.fn()
      .mockResolvedValueOnce(json({ access_token: 'jwt.one', token_type: 'Bearer', expires_in: 600, role: 'operator', subject: 'ops' }))
      .mockResolvedValueOnce(json({ subject: 'ops', role: 'operator', key_id: 'k-1' }));
    vi.stubGlobal('fetch', fetchSpy);
    render(<SignInPage />);
    await userEvent.type(screen.getByLabelText('API key'), 'pbk_operator');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(getCredentials()).toMatchObject({ role: 'operator', token: 'jwt.one', subject: 'ops', keyId: 'k-1' }));
    const [url, init] = fetchSpy.mock.calls[0];
    expect(url).toBe('/api/v1/auth/token');
    expect(init).toMatchObject({ method: 'POST', headers: { Authorization: 'Bearer pbk_operator' } });
    expect(fetchSpy.mock.calls[1][1].headers).toEqual({ Authorization: 'Bearer jwt.one' });
    expect(sessionStorage.getItem('pureboot.credentials')).toContain('operator');
  });

  it('renews a token about to expire, and signs out when the key was revoked', async () => {
    setCredentials({ apiKey: 'pbk_k', token: 'jwt.old', expiresAt: Date.now() + 10_000, role: 'viewer', subject: 'v', keyId: null });
    const renewed = vi.fn()
      .mockResolvedValueOnce(json({ access_token: 'jwt.new', token_type: 'Bearer', expires_in: 600, role: 'viewer', subject: 'v' }))
      .mockResolvedValueOnce(json({ subject: 'v', role: 'viewer', key_id: null }));
    await renewToken(false, renewed);
    expect(getCredentials()?.token).toBe('jwt.new');
    await renewToken(false, renewed);
    expect(renewed).toHaveBeenCalledTimes(2);

    await renewToken(true, vi.fn().mockResolvedValue(new Response(null, { status: 401 })));
    expect(getCredentials()).toBeNull();
  });
});
