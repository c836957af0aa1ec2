import { describe, expect, it } from 'vitest';
import { NON_PAGE_CSP, withSecurityHeaders } from './headers.ts';

describe('withSecurityHeaders', () => {
  it('adds the headers, and a deny-all policy where there is none', () => {
    const response = withSecurityHeaders(Response.json({ ok: true }));
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'content-security-policy': NON_PAGE_CSP,
    });
  });

  it("keeps a page's own policy", () => {
    const page = new Response('<p>', {
      headers: { 'content-security-policy': "script-src 'self'" },
    });
    expect(withSecurityHeaders(page).headers.get('content-security-policy')).toBe(
      "script-src 'self'",
    );
  });

  it('copies a response whose headers are immutable', async () => {
    const immutable = Response.redirect('http://127.0.0.1/login', 303);
    expect(() => immutable.headers.set('x', 'y')).toThrow();
    const response = withSecurityHeaders(immutable);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://127.0.0.1/login');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
