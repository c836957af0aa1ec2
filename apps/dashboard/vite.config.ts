import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// SvelteKit 3 takes its configuration here (svelte.config.js is no longer read).
export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter(),
      // The Content-Security-Policy of every page (hooks.server.ts gives other responses a
      // deny-all one). Scripts are strict: only our own files, and SvelteKit's inline start-up
      // script by a fresh nonce per response ('auto': nonces for rendered pages).
      // Styles allow 'unsafe-inline', measured in Chromium (tests/security.test.ts): Chart.js
      // needs nothing (it styles its canvas through the CSSOM, which CSP does not govern), but
      // CodeMirror adds a <style> element without a nonce, and app.html and SvelteKit's route
      // announcer carry style attributes. Injected CSS cannot reach another origin: everything
      // it could load (images, fonts, connections) falls under default-src 'self'.
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
});
