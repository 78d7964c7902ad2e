#!/usr/bin/env node
// `npx hangar …` / `npm run hangar -- …`: Node 20 cannot run TypeScript, so register tsx's loader, then run cli/hangar.ts.
import { register } from 'tsx/esm/api';

register();
const { hangar } = await import('./hangar.ts');
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => controller.abort(new Error(`${signal} received`)));
process.exitCode = await hangar(process.argv.slice(2), {
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
  env: process.env,
  signal: controller.signal,
});
