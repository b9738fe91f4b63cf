// Property names Palisade writes into SBOMs and reads back, in one place.

export const PROPERTY = {
  layer: 'palisade:layer:diff_id',
  path: 'palisade:location:path',
  sourceName: 'palisade:package:source_name',
  sourceVersion: 'palisade:package:source_version',
  ecosystem: 'palisade:package:ecosystem',
  foundBy: 'palisade:package:found_by',
  arch: 'palisade:package:arch',
  dev: 'palisade:package:dev',
  configDigest: 'palisade:image:config_digest',
  manifestDigest: 'palisade:image:manifest_digest',
  platform: 'palisade:image:platform',
  osFamily: 'palisade:os:family',
} as const;

export const TOOL = { vendor: 'Palisade', name: 'palisade' } as const;
