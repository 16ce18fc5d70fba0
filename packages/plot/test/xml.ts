/**
 * A small, strict well-formedness check for the SVG we emit (no DTDs, no CDATA): one root element,
 * balanced and properly nested tags, valid names, every attribute quoted and unique, no raw `<` or
 * stray `&` in text or attribute values, only the five predefined or numeric entities, and no
 * characters XML 1.0 forbids. Returns null when well-formed, else a message with the offset.
 */
const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting forbidden characters
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function checkText(text: string, at: number): string | null {
  if (FORBIDDEN.test(text)) return `forbidden character near ${at}`;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) return `bad entity at ${at + i}: ${text.slice(i, i + 10)}`;
  }
  return null;
}

export function xmlError(xml: string): string | null {
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) return 'unterminated XML declaration';
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.includes('>')) return `raw '>' in text at ${i}`;
    const e = checkText(text, i);
    if (e) return e;
    if (text.trim() !== '' && stack.length === 0) return `text outside the root at ${i}`;
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return `unterminated comment at ${lt}`;
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) return `unterminated tag at ${lt}`;
    let tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) return `</${name}> at ${lt} closes <${open ?? 'nothing'}>`;
      i = gt + 1;
      continue;
    }
    // Attribute values may not contain '>' raw in our output, but allow it by scanning quotes.
    let selfClosing = false;
    let j = lt + 1;
    const m = /^[^\s/>]+/.exec(tag);
    if (!m || !NAME.test(m[0])) return `bad element name at ${lt}: ${tag.slice(0, 20)}`;
    const name = m[0];
    j = lt + 1 + name.length;
    const seen = new Set<string>();
    for (;;) {
      while (/\s/.test(xml[j] ?? '')) j++;
      if (xml[j] === '>') break;
      if (xml[j] === '/' && xml[j + 1] === '>') {
        selfClosing = true;
        j++;
        break;
      }
      const a = /^([^\s=/>]+)\s*=\s*(["'])/.exec(xml.slice(j));
      if (!a) return `bad attribute at ${j} in <${name}>: ${xml.slice(j, j + 20)}`;
      const attr = a[1]!;
      if (!NAME.test(attr)) return `bad attribute name ${attr} at ${j}`;
      if (seen.has(attr)) return `duplicate attribute ${attr} at ${j}`;
      seen.add(attr);
      const quote = a[2]!;
      const start = j + a[0].length;
      const end = xml.indexOf(quote, start);
      if (end < 0) return `unterminated attribute ${attr} at ${j}`;
      const value = xml.slice(start, end);
      if (value.includes('<')) return `raw '<' in attribute ${attr} at ${start}`;
      const ve = checkText(value, start);
      if (ve) return ve;
      j = end + 1;
      if (!/[\s/>]/.test(xml[j] ?? '')) return `no space after attribute ${attr} at ${j}`;
    }
    tag = '';
    if (stack.length === 0) {
      roots++;
      if (roots > 1) return `second root element <${name}> at ${lt}`;
    }
    if (!selfClosing) stack.push(name);
    i = j + 1;
  }
  if (stack.length > 0) return `unclosed <${stack.at(-1)}>`;
  if (roots === 0) return 'no root element';
  return null;
}

/** A geometry attribute holding NaN, Infinity or undefined (what a broken path looks like). */
export const BAD_GEOMETRY =
  /\s(?:d|x|y|x1|x2|y1|y2|width|height|transform|viewBox|dy|stroke-width)="[^"]*(?:NaN|Infinity|undefined)/;
