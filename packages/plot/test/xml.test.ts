import { describe, expect, it } from 'vitest';
import { xmlError } from './xml.js';

describe('xmlError (the well-formedness check used by the tests)', () => {
  it('accepts well-formed SVG', () => {
    expect(
      xmlError(
        '<svg a="1" b=\'x &amp; y\'><g><path d="M0,0"/></g><text>a &lt; b &#8722;1</text></svg>',
      ),
    ).toBeNull();
  });
  it.each([
    ['<svg><g></svg>', '</svg>'],
    ['<svg><g></g>', 'unclosed'],
    ['<svg a=1></svg>', 'bad attribute'],
    ['<svg a="1" a="2"></svg>', 'duplicate'],
    ['<svg a="x<y"></svg>', "raw '<'"],
    ['<svg><text>a & b</text></svg>', 'bad entity'],
    ['<svg><text>&nbsp;</text></svg>', 'bad entity'],
    ['<svg></svg><svg></svg>', 'second root'],
    ['<svg a="1"b="2"></svg>', 'no space'],
    ['<svg><text>a > b</text></svg>', "raw '>'"],
    ['<svg><text>\u0001</text></svg>', 'forbidden'],
    ['text', 'text outside'],
  ])('rejects %j', (xml, message) => {
    expect(xmlError(xml)).toContain(message);
  });
});
