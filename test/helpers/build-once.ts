/** Compiles dist/ once before the suites (the package's own build script), so CLI tests run the real binary. */
import { execSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execSync('npm run --silent build', { cwd: join(import.meta.dirname, '..', '..'), stdio: 'inherit' });
}
