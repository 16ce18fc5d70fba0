import { readFileSync } from 'node:fs';

/** Versions of the CLI and the libraries it was built with, read from their package.json files. */
export function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  const read = (spec: string) => {
    try {
      const url = import.meta.resolve(spec);
      const pkg = JSON.parse(readFileSync(new URL(url), 'utf8')) as {
        name: string;
        version: string;
      };
      out[pkg.name] = pkg.version;
    } catch {
      // a library without an exported package.json is reported as unknown
    }
  };
  out['@annlab/cli'] = (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
  for (const lib of ['core', 'train', 'plot', 'gpu']) read(`@annlab/${lib}/package.json`);
  out.node = process.versions.node;
  return out;
}
