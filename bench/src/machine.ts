/** The machine a run happened on, for the head of BENCHMARKS.md. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

/** Machine facts printed with every result. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  loadAverage: string;
  /** The load average when the measurements began (after {@link waitForQuiet}). */
  loadAtRun?: string;
}

/**
 * Waits while the last minute's load average is above half the core count (other processes would
 * take cores from the measurements), polling every 5 s for at most `maxSeconds`; returns the load
 * average when it stops waiting, with the seconds waited.
 */
export async function waitForQuiet(
  maxSeconds: number,
  log: (line: string) => void,
): Promise<string> {
  const limit = cpus().length / 2;
  const t0 = performance.now();
  while (loadavg()[0]! > limit && performance.now() - t0 < maxSeconds * 1000) {
    log(`  load ${loadavg()[0]!.toFixed(2)} > ${limit}: waiting for the machine to settle`);
    await new Promise((r) => setTimeout(r, 5000));
  }
  const waited = Math.round((performance.now() - t0) / 1000);
  const now = loadavg()
    .map((v) => v.toFixed(2))
    .join(', ');
  const high = loadavg()[0]! > limit ? ' (still high: figures are noisy, compare ratios only)' : '';
  return `${now} after waiting ${waited} s${high}`;
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
    if (m?.[1]) return `${m[1]} (${type()} ${release()})`;
  } catch {
    // not Linux, or no os-release
  }
  return `${type()} ${release()}`;
}

/** Reads CPU model, core count, memory, OS, Node version and the load average now. */
export async function machineInfo(): Promise<MachineInfo> {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    loadAverage: loadavg()
      .map((v) => v.toFixed(2))
      .join(', '),
  };
}
