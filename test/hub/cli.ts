import { startFakeHub } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  const eq = process.argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : i >= 0 ? process.argv[i + 1] : undefined;
}

function port(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port ${value}`);
  return n;
}

const hub = await startFakeHub({
  port: port(arg('--port') ?? process.env.HUB_PORT, 8300),
  cdnPort: port(arg('--cdn-port') ?? process.env.HUB_CDN_PORT, 8301),
  host: arg('--host') ?? '127.0.0.1',
});
console.log(`fake hub: ${hub.url}`);
console.log(`fake cdn: ${hub.cdnUrl}`);
console.log(`control:  ${hub.url}/__hub/{repos,faults,stats,reset}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void hub.close().then(() => process.exit(0));
  });
}
