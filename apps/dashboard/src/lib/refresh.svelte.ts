import { on } from 'svelte/events';
import { createSubscriber } from 'svelte/reactivity';

/**
 * Calls `tick` every `intervalMs` while enabled, someone is listening and the tab is visible.
 *
 * The class owns its lifetime: reading `state` (in a template or an effect) subscribes; the
 * first subscriber starts it (a visibility listener and an effect root whose effect runs the
 * timer), and when the last one goes (its component or effect is destroyed) its own teardown
 * stops both. Pages only set `enabled` and `intervalMs`; nothing else stops or restarts it, so
 * a page's effect re-running after a refresh cannot kill it.
 */
export class AutoRefresh {
  enabled = $state(false);
  intervalMs = $state(30_000);
  /** Refreshes so far (for people's tools and tests). */
  count = $state(0);
  #hidden = $state(false);
  readonly #subscribe: () => void;

  constructor(tick: () => unknown, intervalMs = 30_000) {
    this.intervalMs = intervalMs;
    this.#subscribe = createSubscriber(() => {
      const visibility = () => (this.#hidden = document.visibilityState === 'hidden');
      visibility();
      const off = on(document, 'visibilitychange', visibility);
      const stop = $effect.root(() => {
        $effect(() => {
          if (!this.enabled || this.#hidden) return;
          const timer = setInterval(() => {
            this.count += 1;
            void tick();
          }, this.intervalMs);
          return () => clearInterval(timer);
        });
      });
      return () => {
        off();
        stop();
      };
    });
  }

  /** `running`, `paused` (tab hidden) or `off`; reading it keeps the refresher alive. */
  get state(): 'running' | 'paused' | 'off' {
    this.#subscribe();
    if (!this.enabled) return 'off';
    return this.#hidden ? 'paused' : 'running';
  }
}
