/**
 * The zod the Lambda code validates with: `zod/mini`, zod v4's tree-shakable functional API, so a bundle carries only
 * the schemas and checks it uses (about 20 KiB instead of the ~440 KiB `import { z } from 'zod'` pulled in). Import it
 * as a namespace (`import * as z from '../config/zod.js'`); a named `z` import defeats tree-shaking.
 *
 * `zod/mini` installs no locale, so issues would read "Invalid input"; install the English messages `zod` uses by
 * default ("Invalid input: expected string, received undefined"), which our configuration and event errors quote.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
