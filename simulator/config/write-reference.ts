/** `npm run docs:config`: regenerates docs/scenario-reference.md from the schema. */
import { writeFileSync } from 'node:fs';
import { REFERENCE_FILE, renderReferenceDocument } from './reference.js';

const file = process.argv[2] ?? REFERENCE_FILE;
writeFileSync(file, renderReferenceDocument());
process.stdout.write(`scenario reference written to ${file}\n`);
