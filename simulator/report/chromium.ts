/**
 * Where the system's Chromium is, for the report's PNGs. shardsim drives the
 * browser already installed (playwright-core, which downloads nothing) and
 * never fetches one. $CHROMIUM_PATH, else $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
 * when set, is the only place looked at: a wrong setting is reported, not
 * quietly replaced by another browser. Otherwise the usual names on PATH,
 * then in /usr/bin.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BrowserError } from '../errors.js';

/** The variables that name the browser, first wins. */
export const CHROMIUM_ENV = ['CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'] as const;

/** Executable names of Chromium and Chrome as Linux distributions install them. */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

const INSTALL = 'install it (Debian and Ubuntu: apt-get install chromium, the package `chromium`)';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser's executable, or a BrowserError saying what to install or set; `fixedDirs` are searched after PATH. */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env, fixedDirs: readonly string[] = ['/usr/bin']): string {
  for (const name of CHROMIUM_ENV) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (isExecutableFile(value)) return value;
    throw new BrowserError(
      `$${name} is ${JSON.stringify(value.slice(0, 200))}, which is not an executable file; point it at Chromium's executable (e.g. /usr/bin/chromium), or unset it and ${INSTALL}`,
    );
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''), ...fixedDirs];
  for (const name of NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutableFile(path)) return path;
    }
  }
  throw new BrowserError(
    `--png draws the charts in Chromium, and none was found (looked for ${NAMES.join(', ')} on PATH${fixedDirs.length === 0 ? '' : ` and in ${fixedDirs.join(', ')}`}): ${INSTALL}, or set $CHROMIUM_PATH to the browser's executable`,
  );
}
