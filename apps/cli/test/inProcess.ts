import { DEFAULT_ALLOCATION_LIMIT, setAllocationLimit } from '@annlab/core';
import { run } from '../src/main.js';

/**
 * Runs the CLI in this process (its `run`, as bin/annlab.mjs does after installing the stdout guard),
 * capturing stdout and stderr: argument and file errors need no child process. The signal, pipe and
 * interrupted-write tests below spawn the built binary.
 */
export async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = {
    out: (t: string) => {
      stdout += t;
    },
    err: (t: string) => {
      stderr += t;
    },
    tty: false,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await run(args, io);
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    setAllocationLimit(DEFAULT_ALLOCATION_LIMIT);
  }
}
