// Headers on every response the dashboard's handler builds. Pages get their
// Content-Security-Policy from SvelteKit (the `csp` option in vite.config.ts, with a nonce for
// its inline script); JSON and other responses get a policy that allows nothing.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Never framed (clickjacking): the old header for old browsers, frame-ancestors for the rest.
  'x-frame-options': 'DENY',
  // Served types are the real ones: no guessing a script out of a JSON body.
  'x-content-type-options': 'nosniff',
  // Dashboard URLs carry PromQL and customer names: never sent to another site.
  'referrer-policy': 'same-origin',
};

/** For responses that are not pages (JSON, redirects, errors without the layout). */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The response with the security headers added (a copy when its headers are immutable). */
export function withSecurityHeaders(response: Response): Response {
  let out = response;
  try {
    apply(out.headers);
  } catch {
    // A fetch() response's headers are read-only: answer with a copy.
    out = new Response(response.body, response);
    apply(out.headers);
  }
  return out;
}

function apply(headers: Headers): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', NON_PAGE_CSP);
}
