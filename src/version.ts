import packageJson from '../package.json' with { type: 'json' }

/** The emulator's own version, as released. */
export const VERSION: string = packageJson.version
