/**
 * The playground's I/O: the state in the address bar, a CSV file read in the page (train's
 * `readTable`, never uploaded), models exported and imported as files.
 */
import { loadModel, type Model, previewTable, readTable } from '@annlab/train';
import { type PlaygroundState, serializeState } from '../state/url.js';
import { h } from '../ui/controls.js';
import type { TableInput } from './setup.js';

/** Puts the state in the address bar (replacing the entry, so Back leaves the playground). */
export function writeUrl(state: PlaygroundState): void {
  history.replaceState(null, '', `#/playground?${serializeState(state)}`);
}

/** Copies the link of the state to the clipboard (where the browser allows it). */
export function copyLink(state: PlaygroundState): void {
  writeUrl(state);
  void navigator.clipboard?.writeText(location.href).catch(() => undefined);
}

/** Largest CSV file the playground reads: the demo trains on at most a few thousand rows. */
export const MAX_CSV_BYTES = 2 * 1024 * 1024;

/** A CSV file read into the page: its text and the columns found in its first rows. */
export interface CsvFile {
  readonly name: string;
  readonly text: string;
  readonly columns: readonly string[];
}

/**
 * Reads a dropped or chosen file as text and finds its columns (delimiter and header sniffed).
 * Refuses a file over {@link MAX_CSV_BYTES} before reading it.
 */
export async function readCsvFile(file: File): Promise<CsvFile> {
  if (file.size > MAX_CSV_BYTES) {
    throw new Error(
      `${file.name} is ${file.size} bytes, over the playground’s limit of ${MAX_CSV_BYTES} bytes (2 MiB; it trains on at most 5000 rows)`,
    );
  }
  const text = await file.text();
  const preview = previewTable(text, { maxRows: 2 });
  if (preview.columns.length < 2) {
    throw new Error(
      `${file.name} has ${preview.columns.length} column; it needs inputs and a target`,
    );
  }
  return { name: file.name, text, columns: preview.columns };
}

/**
 * The picked columns of a CSV file as training data (numbers for regression, labels for
 * classification). Errors are train's `TableError`s, naming the file, row and column.
 */
export function csvTable(
  csv: CsvFile,
  picked: { x: readonly string[]; y: string },
  classify: boolean,
): TableInput {
  if (picked.x.length === 0) throw new Error('choose at least one input column');
  if (picked.x.includes(picked.y)) {
    throw new Error(`the target column ${JSON.stringify(picked.y)} is also an input`);
  }
  const t = readTable(csv.text, {
    x: [...picked.x],
    y: picked.y,
    task: classify ? 'classification' : 'regression',
    name: csv.name,
    maxBytes: MAX_CSV_BYTES,
  });
  return {
    x: t.x,
    xColumns: t.xColumns,
    y: t.y,
    yColumns: t.yColumns,
    classes: t.classes,
    rows: t.rows,
  };
}

/** Lets files be dropped onto `zone`; a dropped file goes to `onFile`. */
export function acceptDrops(zone: HTMLElement, onFile: (file: File) => void): void {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dropping');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dropping'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dropping');
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file);
  });
}

/** Offers a blob as a download. */
export function download(name: string, blob: Blob): void {
  const link = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** Reads a model file (train's checkpoint JSON); only dense networks are accepted. */
export async function readModelFile(file: File): Promise<{ json: string; model: Model }> {
  const json = await file.text();
  const model = loadModel(json);
  if (model.kind !== 'mlp') throw new Error('the playground trains dense networks (kind "mlp")');
  return { json, model };
}
