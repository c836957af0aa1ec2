import { untrack } from 'svelte';
import { on } from 'svelte/events';
import { createSubscriber } from 'svelte/reactivity';

/**
 * Calls `tick` every `intervalMs` while enabled, someone is listening and the tab is visible.
 *
 * The class owns its lifetime: reading `state` (in a template or an effect) subscribes, through
 * `createSubscriber`, whose render effect counts the listeners. The first one starts it (a
 * visibility listener, and the timer when enabled); when the last one goes (its component or
 * effect is destroyed), that effect's teardown stops the timer and the listener. Pages only
 * set `enabled` and `intervalMs`; nothing else stops or restarts it, so a page's effect
 * re-running after a refresh cannot kill it.
 */
export class AutoRefresh {
  #enabled = $state(false);
  #intervalMs = $state(30_000);
  #hidden = $state(false);
  /** Refreshes so far (for people's tools and tests). */
  count = $state(0);
  #listening = false;
  #timer: { id: ReturnType<typeof setInterval>; ms: number } | null = null;
  readonly #tick: () => unknown;
  readonly #subscribe: () => void;

  constructor(tick: () => unknown, intervalMs = 30_000) {
    this.#tick = tick;
    this.#intervalMs = intervalMs;
    this.#subscribe = createSubscriber(() => {
      this.#listening = true;
      const visibility = () => {
        this.#hidden = document.visibilityState === 'hidden';
        this.#sync();
      };
      const off = on(document, 'visibilitychange', visibility);
      visibility();
      return () => {
        this.#listening = false;
        off();
        this.#sync();
      };
    });
  }

  get enabled(): boolean {
    return this.#enabled;
  }
  set enabled(value: boolean) {
    this.#enabled = value;
    this.#sync();
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }
  set intervalMs(value: number) {
    this.#intervalMs = value;
    this.#sync();
  }

  /** `running`, `paused` (tab hidden) or `off`; reading it keeps the refresher alive. */
  get state(): 'running' | 'paused' | 'off' {
    this.#subscribe();
    if (!this.#enabled) return 'off';
    return this.#hidden ? 'paused' : 'running';
  }

  /** One timer at the current interval exactly while listened to, enabled and visible. */
  #sync(): void {
    untrack(() => this.#apply());
  }

  #apply(): void {
    const run = this.#listening && this.#enabled && !this.#hidden;
    if (this.#timer && (!run || this.#timer.ms !== this.#intervalMs)) {
      clearInterval(this.#timer.id);
      this.#timer = null;
    }
    if (run && !this.#timer) {
      const ms = this.#intervalMs;
      const id = setInterval(() => {
        this.count += 1;
        void this.#tick();
      }, ms);
      this.#timer = { id, ms };
    }
  }
}
