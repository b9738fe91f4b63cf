// License names to SPDX: common ids recognised case-insensitively, a few Debian short names mapped, and a
// test for whether a whole expression is made of known ids. Anything else stays a free-text name.

const KNOWN_IDS = [
  '0BSD',
  'AFL-2.1',
  'AFL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'Apache-1.1',
  'Apache-2.0',
  'Artistic-1.0',
  'Artistic-1.0-Perl',
  'Artistic-2.0',
  'BSD-1-Clause',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BSD-4-Clause',
  'BSL-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-BY-SA-3.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDDL-1.0',
  'CDDL-1.1',
  'curl',
  'EPL-1.0',
  'EPL-2.0',
  'EUPL-1.2',
  'FTL',
  'GFDL-1.2-or-later',
  'GFDL-1.3-only',
  'GFDL-1.3-or-later',
  'GPL-1.0-only',
  'GPL-1.0-or-later',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'ISC',
  'LGPL-2.0-only',
  'LGPL-2.0-or-later',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'Libpng',
  'MIT',
  'MIT-0',
  'MPL-1.1',
  'MPL-2.0',
  'MS-PL',
  'NCSA',
  'OFL-1.1',
  'OpenSSL',
  'PHP-3.01',
  'PostgreSQL',
  'PSF-2.0',
  'Python-2.0',
  'Ruby',
  'Unicode-DFS-2016',
  'Unicode-3.0',
  'Unlicense',
  'Vim',
  'W3C',
  'WTFPL',
  'X11',
  'Zlib',
  'ZPL-2.1',
];

const BY_LOWER = new Map(KNOWN_IDS.map((id) => [id.toLowerCase(), id]));

/** Debian and other short names that mean an SPDX id. */
const ALIASES: Record<string, string> = {
  expat: 'MIT',
  'gpl-2': 'GPL-2.0-only',
  'gpl-2+': 'GPL-2.0-or-later',
  'gpl-3': 'GPL-3.0-only',
  'gpl-3+': 'GPL-3.0-or-later',
  'lgpl-2.1': 'LGPL-2.1-only',
  'lgpl-2.1+': 'LGPL-2.1-or-later',
  'lgpl-3': 'LGPL-3.0-only',
  'lgpl-3+': 'LGPL-3.0-or-later',
  // Deprecated SPDX ids, still common in package metadata: the current id they mean.
  'agpl-3.0': 'AGPL-3.0-only',
  'agpl-3.0+': 'AGPL-3.0-or-later',
  'gpl-1.0': 'GPL-1.0-only',
  'gpl-1.0+': 'GPL-1.0-or-later',
  'gpl-2.0': 'GPL-2.0-only',
  'gpl-2.0+': 'GPL-2.0-or-later',
  'gpl-3.0': 'GPL-3.0-only',
  'gpl-3.0+': 'GPL-3.0-or-later',
  'lgpl-2.0': 'LGPL-2.0-only',
  'lgpl-2.0+': 'LGPL-2.0-or-later',
  'lgpl-3.0': 'LGPL-3.0-only',
  'lgpl-3.0+': 'LGPL-3.0-or-later',
  'apache 2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache software license': 'Apache-2.0',
  'mit license': 'MIT',
  'bsd license': 'BSD-3-Clause',
  'public-domain': 'LicenseRef-public-domain',
};

/** The SPDX id for a single license name, or undefined. */
export function spdxId(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  const alias = ALIASES[lower];
  if (alias !== undefined && !alias.startsWith('LicenseRef-')) return alias;
  return BY_LOWER.get(lower);
}

/** SPDX license exception ids (a common subset of the SPDX exceptions list), by lower case. */
const KNOWN_EXCEPTIONS = [
  '389-exception',
  'Autoconf-exception-2.0',
  'Autoconf-exception-3.0',
  'Bison-exception-2.2',
  'Bootloader-exception',
  'Classpath-exception-2.0',
  'CLISP-exception-2.0',
  'eCos-exception-2.0',
  'FLTK-exception',
  'Font-exception-2.0',
  'freertos-exception-2.0',
  'GCC-exception-2.0',
  'GCC-exception-3.1',
  'GNAT-exception',
  'GPL-3.0-linking-exception',
  'GPL-3.0-linking-source-exception',
  'GPL-CC-1.0',
  'i2p-gpl-java-exception',
  'Libtool-exception',
  'Linux-syscall-note',
  'LLVM-exception',
  'LZMA-exception',
  'mif-exception',
  'Nokia-Qt-exception-1.1',
  'OCaml-LGPL-linking-exception',
  'OCCT-exception-1.0',
  'OpenJDK-assembly-exception-1.0',
  'openvpn-openssl-exception',
  'PS-or-PDF-font-exception-20170817',
  'Qt-GPL-exception-1.0',
  'Qt-LGPL-exception-1.1',
  'Qwt-exception-1.0',
  'Swift-exception',
  'u-boot-exception-2.0',
  'Universal-FOSS-exception-1.0',
  'WxWindows-exception-3.1',
];

const EXCEPTIONS_BY_LOWER = new Map(KNOWN_EXCEPTIONS.map((id) => [id.toLowerCase(), id]));

/** Longer texts are not taken for expressions (and keep the parser's work bounded). */
const MAX_EXPRESSION_LENGTH = 1024;
const MAX_NESTING = 32;

const LICENSE_REF = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

type ExpressionNode =
  | { kind: 'license'; text: string }
  | { kind: 'with'; license: string; exception: string }
  | { kind: 'and' | 'or'; left: ExpressionNode; right: ExpressionNode };

class ExpressionError extends Error {}

/**
 * Recursive descent over the SPDX license expression grammar (SPDX 2.3 Annex D): `OR` binds loosest, then
 * `AND`, then `WITH`; operands are known license ids (optionally with `+`) or `LicenseRef-` / `DocumentRef-`
 * references, and `WITH` takes a known exception id.
 */
class ExpressionParser {
  private position = 0;
  private readonly tokens: readonly string[];
  constructor(tokens: readonly string[]) {
    this.tokens = tokens;
  }

  parse(): ExpressionNode {
    const node = this.orExpression(0);
    if (this.position !== this.tokens.length) throw new ExpressionError('trailing tokens');
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private isOperator(token: string | undefined, operator: string): boolean {
    return token !== undefined && token.toUpperCase() === operator;
  }

  private orExpression(depth: number): ExpressionNode {
    let node = this.andExpression(depth);
    while (this.isOperator(this.peek(), 'OR')) {
      this.position++;
      node = { kind: 'or', left: node, right: this.andExpression(depth) };
    }
    return node;
  }

  private andExpression(depth: number): ExpressionNode {
    let node = this.primary(depth);
    while (this.isOperator(this.peek(), 'AND')) {
      this.position++;
      node = { kind: 'and', left: node, right: this.primary(depth) };
    }
    return node;
  }

  private primary(depth: number): ExpressionNode {
    const token = this.peek();
    if (token === undefined) throw new ExpressionError('operand expected');
    if (token === '(') {
      if (depth >= MAX_NESTING) throw new ExpressionError('nested too deeply');
      this.position++;
      const node = this.orExpression(depth + 1);
      if (this.peek() !== ')') throw new ExpressionError('`)` expected');
      this.position++;
      return node;
    }
    this.position++;
    const license = simpleExpression(token);
    if (license === undefined) throw new ExpressionError(`not a license: ${token}`);
    if (!this.isOperator(this.peek(), 'WITH')) return { kind: 'license', text: license };
    this.position++;
    const exception = EXCEPTIONS_BY_LOWER.get((this.peek() ?? '').toLowerCase());
    if (exception === undefined) throw new ExpressionError('exception id expected after WITH');
    this.position++;
    return { kind: 'with', license, exception };
  }
}

/** A license id (alias or `id+`) or a license reference, normalised; undefined when it is neither. */
function simpleExpression(token: string): string | undefined {
  if (token === '(' || token === ')' || /^(?:AND|OR|WITH)$/i.test(token)) return undefined;
  const id = spdxId(token);
  if (id !== undefined) return id;
  if (token.endsWith('+')) {
    const base = BY_LOWER.get(token.slice(0, -1).toLowerCase());
    if (base !== undefined && !/-(?:only|or-later)$/.test(base)) return `${base}+`;
  }
  if (LICENSE_REF.test(token)) return token;
  return undefined;
}

function render(node: ExpressionNode, parent: 'and' | 'or' | undefined): string {
  if (node.kind === 'license') return node.text;
  if (node.kind === 'with') return `${node.license} WITH ${node.exception}`;
  const text = `${render(node.left, node.kind)} ${node.kind.toUpperCase()} ${render(node.right, node.kind)}`;
  // Parentheses only where precedence needs them: an OR inside an AND.
  return parent === 'and' && node.kind === 'or' ? `(${text})` : text;
}

function hasReference(node: ExpressionNode): boolean {
  if (node.kind === 'license') return node.text.includes('LicenseRef-');
  if (node.kind === 'with') return node.license.includes('LicenseRef-');
  return hasReference(node.left) || hasReference(node.right);
}

/**
 * The expression with ids normalised when it is a valid SPDX license expression made of known ids (and known
 * exceptions after `WITH`); undefined otherwise. License references are valid grammar but are refused here, since a
 * document using one must also declare it.
 */
export function spdxExpression(text: string): string | undefined {
  if (text.length > MAX_EXPRESSION_LENGTH) return undefined;
  // A whole name that means one id (`Apache 2.0`): the same answer as spdxId gives, so that CycloneDX and SPDX
  // output agree.
  const whole = spdxId(text);
  if (whole !== undefined) return whole;
  const tokens = text
    .trim()
    .split(/(\s+|\(|\))/)
    .filter((token) => token.trim() !== '');
  if (tokens.length === 0) return undefined;
  let node: ExpressionNode;
  try {
    node = new ExpressionParser(tokens).parse();
  } catch (error) {
    if (error instanceof ExpressionError) return undefined;
    throw error;
  }
  if (hasReference(node)) return undefined;
  return render(node, undefined);
}

/**
 * SPDX expressions joined by one operator, each compound part in parentheses so the whole reads as listed
 * (`(MIT OR Apache-2.0) AND BSD-3-Clause`); a single part is returned as it is.
 */
export function joinExpressions(parts: readonly string[], operator: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0]!;
  return parts.map((part) => (/\s/.test(part) ? `(${part})` : part)).join(` ${operator} `);
}

/**
 * Licences a package lists as alternatives (Composer's `license` array; npm's deprecated `licenses` list, which
 * npm's own SBOM joins with OR), as one licence: an OR expression when each is valid SPDX, else the names joined
 * by OR as text (which SBOMs then carry by name), never a list that would read as all of them at once.
 */
export function licenceChoice(listed: readonly string[]): string[] {
  const distinct = [...new Set(listed)];
  if (distinct.length < 2) return distinct;
  const parts = distinct.map(spdxExpression);
  return parts.every((part) => part !== undefined)
    ? [joinExpressions(parts as string[], 'OR')]
    : [distinct.join(' OR ')];
}
