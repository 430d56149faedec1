import { type DetailType, EVENTS } from '../config/resources.js';
import * as z from '../config/zod.js';
import { CONTRACT_VERSIONS, schemaFileName } from './contract.js';

/** The JSON Schema (draft 2020-12) of each version of each event's `detail`, with the envelope fields subscribers match on. */
export function eventSchemaDocuments(): {
  detailType: DetailType;
  version: string;
  fileName: string;
  document: Record<string, unknown>;
}[] {
  return CONTRACT_VERSIONS.map(({ detailType, version, schema }) => {
    const detail = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
    const { $schema, ...rest } = detail;
    const fileName = schemaFileName(detailType, version);
    return {
      detailType,
      version,
      fileName,
      document: {
        $schema,
        $id: `https://feedback.pipeline/schemas/events/${fileName}`,
        title: detailType,
        description: `detail of "${detailType}" events (source "${EVENTS.defaultSource}" unless configured, detail.version "${version}")`,
        'x-detail-type': detailType,
        ...rest,
      },
    };
  });
}
