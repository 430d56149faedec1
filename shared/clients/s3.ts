import { S3Client } from '@aws-sdk/client-s3';

/**
 * The one S3 client. Endpoints come from the SDK's own `AWS_ENDPOINT_URL_S3`; emulators that need path-style
 * addressing (s3rver) set `S3_FORCE_PATH_STYLE=true`, and checksum behaviour follows the SDK's
 * `AWS_REQUEST_CHECKSUM_CALCULATION` / `AWS_RESPONSE_CHECKSUM_VALIDATION` variables.
 */
export const s3Client = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
