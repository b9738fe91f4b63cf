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

/** The expression with ids normalised when every operand is a known id; undefined otherwise. */
export function spdxExpression(text: string): string | undefined {
  const tokens = text
    .trim()
    .split(/(\s+|\(|\))/)
    .filter((token) => token.trim() !== '');
  if (tokens.length === 0) return undefined;
  const out: string[] = [];
  for (const token of tokens) {
    if (token === '(' || token === ')') out.push(token);
    else if (/^(AND|OR|WITH)$/i.test(token)) out.push(token.toUpperCase());
    else {
      const id = spdxId(token) ?? (/^[A-Za-z0-9.-]+-exception(?:-[\d.]+)?$/i.test(token) ? token : undefined);
      if (id === undefined) return undefined;
      out.push(id);
    }
  }
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}
