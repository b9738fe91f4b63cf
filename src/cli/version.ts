import packageJson from '../../package.json' with { type: 'json' };

export const PALISADE_VERSION: string = packageJson.version;
