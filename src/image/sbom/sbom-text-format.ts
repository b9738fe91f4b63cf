// SBOM formats Palisade does not read (only CycloneDX and SPDX JSON), told from a file's first bytes, so that the
// error names the format and what to do instead of a JSON syntax error at the first '<'.

/** Which unsupported SBOM format the text starts like, or undefined. */
export function unsupportedSbomFormat(start: string): string | undefined {
  const text = start.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    if (text.includes('cyclonedx.org/schema/bom')) return 'a CycloneDX XML SBOM';
    if (text.includes('spdx.org/rdf')) return 'an SPDX RDF/XML SBOM';
    // Other XML (a pom.xml) is no SBOM format to name.
    return undefined;
  }
  if (/^(?:#[^\n]*\n\s*)*(?:SPDXVersion|DataLicense|SPDXID|DocumentName):/.test(text))
    return 'an SPDX tag-value SBOM';
  if (/^@prefix\s/.test(text) && text.includes('spdx.org/rdf')) return 'an SPDX RDF (Turtle) SBOM';
  return undefined;
}

/** The error message for such a file. */
export function unsupportedSbomMessage(name: string, format: string): string {
  return `${name}: ${format}, which is not read: only CycloneDX JSON and SPDX JSON SBOMs are (convert it to JSON first, e.g. with cyclonedx-cli convert or the SPDX tools)`;
}
