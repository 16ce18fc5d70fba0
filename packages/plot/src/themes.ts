/**
 * Light and dark themes. Series colours come from the Okabe–Ito palette (Okabe & Ito, "Color
 * Universal Design", 2008), which stays distinguishable for the common forms of colour-vision
 * deficiency; points add a distinct symbol per series and lines may add dashes, so colour is
 * never the only cue. The heat-map ramp runs blue → neutral → vermillion, also CVD-safe.
 */

/** Colours and type of a chart. */
export interface Theme {
  readonly name: string;
  readonly background: string;
  /** Text, axis lines and tick marks. */
  readonly foreground: string;
  /** Secondary text (tick labels, subtitles). */
  readonly muted: string;
  /** Grid lines. */
  readonly grid: string;
  /** The colour of a target (reference) curve. */
  readonly target: string;
  /** Series colours, in order. */
  readonly palette: readonly string[];
  /** Heat-map ramp from low to high: three `#rrggbb` stops. */
  readonly ramp: readonly [string, string, string];
  readonly fontFamily: string;
}

const FONT =
  "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/** Okabe–Ito colours by name. */
export const okabeIto = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/**
 * Light theme: white background; palette ordered for contrast on white (yellow, which is faint on
 * white, comes last).
 */
export const lightTheme: Theme = {
  name: 'light',
  background: '#ffffff',
  foreground: '#1f2328',
  muted: '#57606a',
  grid: '#e6e8eb',
  target: '#1f2328',
  palette: [
    okabeIto.blue,
    okabeIto.vermillion,
    okabeIto.bluishGreen,
    okabeIto.reddishPurple,
    okabeIto.orange,
    okabeIto.skyBlue,
    okabeIto.black,
    okabeIto.yellow,
  ],
  ramp: ['#0072B2', '#f4f4f4', '#D55E00'],
  fontFamily: FONT,
};

/** Dark theme: near-black background; palette ordered for contrast on dark (blue last). */
export const darkTheme: Theme = {
  name: 'dark',
  background: '#0d1117',
  foreground: '#e6edf3',
  muted: '#9198a1',
  grid: '#262c36',
  target: '#e6edf3',
  palette: [
    okabeIto.skyBlue,
    okabeIto.orange,
    okabeIto.bluishGreen,
    okabeIto.reddishPurple,
    okabeIto.yellow,
    okabeIto.vermillion,
    '#ffffff',
    okabeIto.blue,
  ],
  ramp: ['#56B4E9', '#1b1f24', '#E69F00'],
  fontFamily: FONT,
};

/** A theme by name, or the theme object itself. */
export type ThemeOption = 'light' | 'dark' | Theme;

/** Resolves a {@link ThemeOption}; undefined gives the light theme. */
export function resolveTheme(theme: ThemeOption | undefined): Theme {
  if (theme === undefined || theme === 'light') return lightTheme;
  if (theme === 'dark') return darkTheme;
  return theme;
}

function parseHex(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  return [
    Number.parseInt(h.slice(0, 2), 16),
    Number.parseInt(h.slice(2, 4), 16),
    Number.parseInt(h.slice(4, 6), 16),
  ];
}

function toHex(v: number): string {
  return Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');
}

/**
 * Colour of `t` in [0, 1] on a three-stop ramp, interpolated linearly in sRGB between the stops.
 *
 * @example
 * rampColor(lightTheme.ramp, 0); // '#0072b2'
 */
export function rampColor(ramp: readonly [string, string, string], t: number): string {
  const u = Math.min(1, Math.max(0, t)) * 2;
  const [a, b] = u <= 1 ? [ramp[0], ramp[1]] : [ramp[1], ramp[2]];
  const f = u <= 1 ? u : u - 1;
  const ca = parseHex(a);
  const cb = parseHex(b);
  return `#${toHex(ca[0] + (cb[0] - ca[0]) * f)}${toHex(ca[1] + (cb[1] - ca[1]) * f)}${toHex(ca[2] + (cb[2] - ca[2]) * f)}`;
}
