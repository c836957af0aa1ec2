import { getContext, setContext } from 'svelte';

// The charts of one page as a group: one hovered instant for all of them (the shared
// crosshair and tooltips) and what dragging or double-clicking a chart does (zoom into a range,
// back to the previous one). A page provides it; LineChart reads it from the context.

export interface ZoomHandlers {
  /** Zoom into [startMs, endMs]. */
  zoom(startMs: number, endMs: number): void;
  /** Back to the range before the last zoom. */
  back(): void;
}

export class ChartGroup {
  /** The instant under the pointer on any chart of the group, ms, or null. */
  hover: number | null = $state(null);
  readonly #handlers: ZoomHandlers | null;

  constructor(handlers: ZoomHandlers | null = null) {
    this.#handlers = handlers;
  }

  get zoomable(): boolean {
    return this.#handlers !== null;
  }

  zoom(a: number, b: number): void {
    this.#handlers?.zoom(Math.min(a, b), Math.max(a, b));
  }

  back(): void {
    this.#handlers?.back();
  }
}

const KEY = Symbol('chart-group');

/** Makes `group` the group of every chart below the calling component. */
export function provideChartGroup(group: ChartGroup): ChartGroup {
  setContext(KEY, group);
  return group;
}

/** The group of the page, or null (a chart alone is its own group). */
export function currentChartGroup(): ChartGroup | null {
  return getContext<ChartGroup | undefined>(KEY) ?? null;
}
