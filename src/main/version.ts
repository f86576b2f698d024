/** The app's version, recorded with every run (provenance). */
import pkg from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
