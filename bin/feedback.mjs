#!/usr/bin/env node
// The `feedback` command: runs the TypeScript CLI through tsx's loader (no build step needed).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/feedback.ts');
process.exitCode = await main(process.argv.slice(2));
