/** Parsers for flag values; each throws a usage error naming the flag and the value. */
import { usage } from './errors.js';

export function parseNumber(
  flag: string,
  text: string | undefined,
  opts: { min?: number; integer?: boolean; positive?: boolean } = {},
): number {
  if (text === undefined || text.trim() === '') throw usage(`--${flag} needs a value`);
  const value = Number(text);
  if (!Number.isFinite(value)) throw usage(`--${flag} must be a finite number, got "${text}"`);
  if (opts.integer && !Number.isInteger(value))
    throw usage(`--${flag} must be an integer, got "${text}"`);
  if (opts.positive && !(value > 0)) throw usage(`--${flag} must be > 0, got "${text}"`);
  if (opts.min !== undefined && value < opts.min)
    throw usage(`--${flag} must be ≥ ${opts.min}, got "${text}"`);
  return value;
}

export function parseList(flag: string, text: string | undefined): number[] {
  if (text === undefined || text.trim() === '')
    throw usage(`--${flag} needs a comma-separated list of numbers`);
  return text.split(',').map((part, i) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value)) {
      throw usage(`--${flag}: item ${i + 1} ("${part}") is not a finite number`);
    }
    return value;
  });
}

export function parseChoice<T extends string>(
  flag: string,
  text: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw usage(`--${flag} must be one of ${choices.join(', ')}, got "${text}"`);
  }
  return text as T;
}

/**
 * Joins `--flag value` into `--flag=value` for the string options, so values that start with a
 * minus sign (`--target "-3x + 2"`, `--domain -2,2`) are not mistaken for flags.
 */
export function joinOptionValues(
  args: readonly string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length) {
      out.push(`${arg}=${args[i + 1]}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
