/**
 * The CLI's one argument parser and the parsers of flag values. Each throws a usage error (exit 2)
 * naming the flag and quoting the value as typed (control characters escaped).
 */
import { parseArgs } from 'node:util';
import { quoteText } from '@annlab/formula';
import { usage } from './errors.js';

/** A command's options, as `node:util` `parseArgs` takes them. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Parses a command's arguments strictly: unknown flags, positionals, a missing or empty value, and a
 * flag where a value should be (`--out --json`) are usage errors. Values starting with a single minus
 * (`--target "-3x + 2"`, `--domain -2,2`) are values; a value that starts with `--` must be written
 * `--flag=--value`.
 *
 * @example
 * ```ts
 * parseCommand(['--out', 'm.json', '--json'], { out: { type: 'string' }, json: { type: 'boolean' } });
 * // { out: 'm.json', json: true }
 * ```
 */
export function parseCommand<O extends OptionSpec>(
  args: readonly string[],
  options: O,
): Record<string, string | boolean | undefined> {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : undefined;
    const spec = name !== undefined && Object.hasOwn(options, name) ? options[name] : undefined;
    if (spec?.type === 'string') {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = args[i + 1];
        if (value?.startsWith('--')) {
          throw usage(
            `--${name} needs a value, got the flag ${quoteText(value)} (write --${name}=VALUE for a value starting with --)`,
          );
        }
        i++;
      }
      if (value === undefined || value.trim() === '') throw usage(`--${name} needs a value`);
      joined.push(`--${name}=${value}`);
    } else {
      joined.push(arg);
    }
  }
  try {
    const { values } = parseArgs({ args: joined, options, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    const e = err as Error & { code?: string };
    if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      throw usage(`${e.message} (try --help)`);
    }
    throw err;
  }
}

export function parseNumber(
  flag: string,
  text: string | undefined,
  opts: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {},
): number {
  if (text === undefined || text.trim() === '') throw usage(`--${flag} needs a value`);
  const value = Number(text);
  const shown = quoteText(text);
  if (!Number.isFinite(value)) throw usage(`--${flag} must be a finite number, got ${shown}`);
  if (opts.integer && !Number.isInteger(value))
    throw usage(`--${flag} must be an integer, got ${shown}`);
  // beyond 2^53 integers are rounded (9007199254740993 would become …992): refuse, never round
  if (opts.integer && !Number.isSafeInteger(value))
    throw usage(`--${flag} must be an integer of at most 2^53 − 1, got ${shown}`);
  if (opts.positive && !(value > 0)) throw usage(`--${flag} must be > 0, got ${shown}`);
  if (opts.min !== undefined && value < opts.min)
    throw usage(`--${flag} must be ≥ ${opts.min}, got ${shown}`);
  if (opts.max !== undefined && value > opts.max)
    throw usage(`--${flag} must be ≤ ${opts.max}, got ${shown}`);
  return value;
}

export function parseList(flag: string, text: string | undefined): number[] {
  if (text === undefined || text.trim() === '')
    throw usage(`--${flag} needs a comma-separated list of numbers`);
  return text.split(',').map((part, i) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value)) {
      throw usage(`--${flag}: item ${i + 1} (${quoteText(part)}) is not a finite number`);
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
    throw usage(`--${flag} must be one of ${choices.join(', ')}, got ${quoteText(text)}`);
  }
  return text as T;
}
