/**
 * Child process of the table section: reads one CSV file with `readTableFile` (warm-up, then
 * `runs` timed reads) and prints one JSON line: the seconds of each timed read, the resident set
 * size before the first read and the peak over the process (`maxRSS`), in bytes.
 *
 * Run as `node <tsx flags> tableChild.ts <file> <runs>` by table.ts; a process of its own, so the
 * peak belongs to reading the table and not to the rest of the bench.
 */
import { readTableFile } from '@annlab/train/node';

const [file, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const columns = Array.from({ length: 10 }, (_, c) => `x${c}`);
const rssBefore = process.memoryUsage().rss;
const seconds: number[] = [];
let rows = 0;
let checksum = 0;
for (let r = 0; r <= runs; r++) {
  const t0 = performance.now();
  const t = await readTableFile(file!, { x: columns.slice(0, 9), y: columns[9]! });
  const dt = (performance.now() - t0) / 1000;
  if (r > 0) seconds.push(dt);
  rows = t.rows;
  checksum = t.x[t.x.length - 1]! + t.y![t.rows - 1]!;
}
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ rows, checksum, seconds, rssBefore, maxRss }));
