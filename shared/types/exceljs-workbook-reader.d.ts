/** exceljs ships no types for its deep module paths; this one is the class its entry re-exports. */
declare module 'exceljs/lib/stream/xlsx/workbook-reader.js' {
  import type { stream } from 'exceljs';

  const WorkbookReader: typeof stream.xlsx.WorkbookReader;
  export default WorkbookReader;
}
