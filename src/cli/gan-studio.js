#!/usr/bin/env node
// The `gan-studio` command. Runs the TypeScript CLI from source through tsx,
// so `npx gan-studio …` always matches the checked-out code (no stale build).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
