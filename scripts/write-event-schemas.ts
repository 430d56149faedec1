/**
 * Writes the JSON Schemas subscribers read (`schemas/events/<detail-type>.json`) from the zod contract the
 * publisher validates with. `npm run schemas` after changing shared/events/contract.ts; a test fails when the
 * files and the contract disagree.
 */
import { writeFile } from 'node:fs/promises';
import { eventSchemaDocuments } from '../shared/events/json-schemas.js';

for (const { fileName, document } of eventSchemaDocuments()) {
  const url = new URL(`../schemas/events/${fileName}`, import.meta.url);
  await writeFile(url, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote schemas/events/${fileName}\n`);
}
