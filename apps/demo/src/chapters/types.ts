/** What every chapter module provides to the router. */
export interface Chapter {
  /** Route id, as in `#/chapter-3`. */
  readonly id: string;
  readonly title: string;
  /** Builds the chapter into `el`; `params` is the query part of the hash (`#/chapter-3?epochs=50`). */
  mount(el: HTMLElement, params: URLSearchParams): void;
  /** Stops workers and timers and releases charts. */
  unmount(): void;
}

/** Reads an integer URL parameter within bounds, else the default. */
export function intParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = params.get(name);
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  const v = Number(raw);
  return v >= min && v <= max ? v : fallback;
}
