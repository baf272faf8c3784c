/** `npm run docs:config`: regenerates the README's scenario reference from the schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { spliceReference } from './reference.js';

const file = process.argv[2] ?? 'README.md';
writeFileSync(file, spliceReference(readFileSync(file, 'utf8')));
process.stdout.write(`scenario reference written into ${file}\n`);
