import type { Io } from '../io.js';
import { parseCommand } from '../parse.js';
import { versions } from '../version.js';

export const INFO_HELP = `annlab info: versions and the WebGPU adapter

Usage:
  annlab info [--json]
`;

export async function infoCommand(args: string[], io: Io): Promise<number> {
  const options = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
  const values = parseCommand(args, options);
  if (values.help) {
    io.out(INFO_HELP);
    return 0;
  }
  const info: { versions: Record<string, string>; webgpu: Record<string, unknown> } = {
    versions: versions(),
    webgpu: { available: false },
  };
  try {
    const { openGpu } = await import('../gpu.js');
    const gpu = await openGpu();
    const a = gpu.adapter;
    info.webgpu = {
      available: true,
      vendor: a.vendor,
      architecture: a.architecture,
      description: a.description,
      isFallbackAdapter: a.isFallbackAdapter,
      source: a.source,
      runsOn: a.isFallbackAdapter ? 'the CPU (software adapter)' : 'the GPU',
    };
    gpu.dispose();
  } catch (err) {
    info.webgpu = { available: false, reason: (err as Error).message };
  }
  if (values.json) {
    io.out(`${JSON.stringify(info)}\n`);
    return 0;
  }
  for (const [name, version] of Object.entries(info.versions))
    io.out(`${name.padEnd(16)} ${version}\n`);
  const w = info.webgpu;
  io.out(
    w.available
      ? `webgpu           ${w.vendor} / ${w.architecture}${w.description ? ` (${w.description})` : ''}, runs on ${w.runsOn}\n`
      : `webgpu           not available: ${w.reason}\n`,
  );
  return 0;
}
