import { type DetailType, EVENTS } from '../config/resources.js';
import * as z from '../config/zod.js';
import { DETAIL_SCHEMAS, schemaFileName } from './contract.js';

/** The JSON Schema (draft 2020-12) of each event's `detail`, with the envelope fields subscribers match on. */
export function eventSchemaDocuments(): {
  detailType: DetailType;
  fileName: string;
  document: Record<string, unknown>;
}[] {
  return (Object.keys(DETAIL_SCHEMAS) as DetailType[]).map((detailType) => {
    const detail = z.toJSONSchema(DETAIL_SCHEMAS[detailType], { target: 'draft-2020-12', io: 'input' }) as Record<
      string,
      unknown
    >;
    const { $schema, ...rest } = detail;
    return {
      detailType,
      fileName: schemaFileName(detailType),
      document: {
        $schema,
        $id: `https://feedback.pipeline/schemas/events/${schemaFileName(detailType)}`,
        title: detailType,
        description: `detail of "${detailType}" events (source "${EVENTS.defaultSource}" unless configured, detail.version "${EVENTS.version}")`,
        'x-detail-type': detailType,
        ...rest,
      },
    };
  });
}
