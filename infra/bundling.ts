/**
 * esbuild settings shared by the CDK bundling and `scripts/build-bundles.ts`. Target Node.js 20 so the same bundle
 * loads on the Node.js 20 used locally and on Lambda's Node.js 24.
 */
export const ESBUILD_SETTINGS = {
  target: 'node20',
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  /**
   * iconv-lite's Japanese and Korean code tables (≈ 100 KiB): the ingest decodes only GB18030, Big5 and Windows-1252
   * (`TextEncoding`), and iconv-lite loads a table only when its encoding is first used, so they stay out of the bundle.
   */
  external: ['./tables/shiftjis.json', './tables/eucjp.json', './tables/cp949.json'],
  banner:
    "import { createRequire as __feedbackCreateRequire } from 'node:module'; const require = __feedbackCreateRequire(import.meta.url);",
} as const;
