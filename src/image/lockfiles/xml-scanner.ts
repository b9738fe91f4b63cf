// A small, linear XML scanner for pom.xml: elements, text, comments, CDATA, processing instructions and a
// DOCTYPE, each found with indexOf from the current position, so hostile input (unclosed comments, thousands of
// unclosed tags) costs one pass. Not a validating parser: namespaces, attributes and entities beyond the
// predefined and numeric ones are not interpreted.
import type { LockfileWarn } from './lockfile-reader.ts';

export interface XmlHandler {
  /** An element opened; `stack` holds the names of its ancestors, outermost first (not itself). */
  open(name: string, offset: number, stack: readonly string[]): void;
  /** An element closed, with its direct text content (entities decoded, not trimmed). */
  close(name: string, text: string, stack: readonly string[]): void;
}

interface Frame {
  name: string;
  offset: number;
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (entity, body: string) => {
    if (!body.startsWith('#')) return ENTITIES[body] ?? entity;
    const code = body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : entity;
  });
}

/** Where a tag that starts at `lt` ends (the index of its `>`), skipping `>` inside quoted attribute values;
 * -1 at a `<` (never allowed inside a tag) or the end of the text. */
function tagEnd(text: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < text.length; i++) {
    const character = text[i];
    if (character === '<') return -1;
    if (quote !== '') {
      if (character === quote) quote = '';
    } else if (character === '"' || character === "'") quote = character;
    else if (character === '>') return i;
  }
  return -1;
}

export function scanXml(
  text: string,
  handler: XmlHandler,
  warn: LockfileWarn,
  lineOf: (offset: number) => number,
): void {
  const frames: Frame[] = [];
  const names: string[] = [];
  /** How many open elements have each name: end tags that match nothing open are found in O(1). */
  const open = new Map<string, number>();
  let mismatched = 0;
  const addText = (piece: string): void => {
    const frame = frames[frames.length - 1];
    if (frame !== undefined) frame.text += piece;
  };
  const pop = (): void => {
    const frame = frames.pop()!;
    names.pop();
    open.set(frame.name, (open.get(frame.name) ?? 1) - 1);
    handler.close(frame.name, decodeXmlText(frame.text), names);
  };
  let position = 0;
  while (position < text.length) {
    const lt = text.indexOf('<', position);
    if (lt < 0) {
      addText(text.slice(position));
      break;
    }
    if (lt > position) addText(text.slice(position, lt));
    const skipTo = (terminator: string, what: string, from: number): number => {
      const end = text.indexOf(terminator, from);
      if (end < 0) warn(`${what} is not closed by "${terminator}": the file looks truncated`, lineOf(lt));
      return end < 0 ? -1 : end + terminator.length;
    };
    let next: number;
    if (text.startsWith('<!--', lt)) next = skipTo('-->', 'comment', lt + 4);
    else if (text.startsWith('<![CDATA[', lt)) {
      next = skipTo(']]>', 'CDATA section', lt + 9);
      // Kept as it is: no entities inside CDATA (decodeXmlText runs later, so mask the ampersands).
      if (next >= 0) addText(text.slice(lt + 9, next - 3).replace(/&/g, '&amp;'));
    } else if (text.startsWith('<?', lt)) next = skipTo('?>', 'processing instruction', lt + 2);
    else if (text.startsWith('<!', lt)) {
      // <!DOCTYPE …> with an optional internal subset in brackets.
      const close = skipTo('>', 'declaration', lt + 2);
      const bracket = close < 0 ? -1 : text.slice(lt, close).indexOf('[');
      next = bracket < 0 ? close : skipTo(']>', 'DOCTYPE', lt + bracket);
    } else {
      const gt = tagEnd(text, lt);
      if (gt < 0) {
        warn('tag is not closed by ">"', lineOf(lt));
        // Read on as text: one stray "<" must not end the scan.
        addText('<');
        position = lt + 1;
        continue;
      }
      const tag = text.slice(lt + 1, gt);
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        if ((open.get(name) ?? 0) > 0) {
          while (names[names.length - 1] !== name) pop();
          pop();
        } else if (++mismatched <= 3)
          warn(`end tag </${name.slice(0, 100)}> matches no open element`, lineOf(lt));
      } else {
        const selfClosing = tag.endsWith('/');
        const name = /^[^\s/]+/.exec(tag)?.[0] ?? '';
        handler.open(name, lt, names);
        frames.push({ name, offset: lt, text: '' });
        names.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (selfClosing) pop();
      }
      next = gt + 1;
    }
    if (next < 0) break;
    position = next;
  }
  const innermost = frames[frames.length - 1];
  if (innermost !== undefined)
    warn(
      `ends inside <${innermost.name.slice(0, 100)}> (opened at line ${lineOf(innermost.offset)}) and ${frames.length - 1} enclosing element(s): the file looks truncated; elements not closed are not read`,
    );
}
