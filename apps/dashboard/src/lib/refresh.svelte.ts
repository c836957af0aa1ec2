/**
 * Calls `tick` every `intervalMs` while enabled and the tab is visible; the timer stops when the
 * tab is hidden or the page is left, and restarts on return.
 */
export class AutoRefresh {
  enabled = $state(false);
  paused = $state(false);
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #intervalMs: number;
  readonly #tick: () => unknown;
  #onVisibility = () => this.#sync();

  constructor(intervalMs: number, tick: () => unknown) {
    this.#intervalMs = intervalMs;
    this.#tick = tick;
    $effect(() => {
      void this.enabled;
      this.#sync();
    });
    if (typeof document !== 'undefined')
      document.addEventListener('visibilitychange', this.#onVisibility);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (typeof document !== 'undefined')
      document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  #sync(): void {
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    this.paused = this.enabled && hidden;
    const run = this.enabled && !hidden;
    if (run && !this.#timer) this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    if (!run && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}
