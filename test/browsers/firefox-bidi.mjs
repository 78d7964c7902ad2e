#!/usr/bin/env node
// Debian's Firefox ESR for Playwright: starts `firefox-esr` with the arguments it is given and puts
// a WebDriver BiDi relay between it and Playwright. Playwright 1.65 sends
// `emulation.setMediaFeaturesOverride` on every new context; Firefox ESR answers "unknown
// command" and Playwright gives up on the page. The relay turns that one answer into an empty
// success and passes everything else through unchanged, so nothing in node_modules is patched
// and a Firefox that learns the command is used as is. One command is answered by the relay and
// never reaches Firefox: `network.addDataCollector`, with which Playwright has Firefox keep a copy
// of every response body (up to 20 MB each) in case a test asks for one. No test here does
// (`response.body()` would fail), and keeping every downloaded model file kept Firefox's parent
// process busy at 100% of a core (CI time: issue 23). With HANGAR_BIDI_NO_NETWORK_EVENTS set (the
// vitest browser runs, which neither route nor watch requests), Playwright's subscription leaves
// out the `network` events: Firefox builds ~3 KB of JSON in its parent process for each of them,
// three per request (a quarter of those runs' time). Playwright reads the BiDi address from
// the browser's stderr, so the relay swaps Firefox's address for its own in that line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WebSocket, WebSocketServer } from 'ws';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** Commands Playwright needs an answer to and this Firefox may not know; an "unknown command" for them becomes a success. */
const OPTIONAL = new Set(['emulation.setMediaFeaturesOverride']);
/** Commands the relay answers itself, with this result, without passing them on. */
const ANSWERED = new Map([['network.addDataCollector', { collector: 'hangar-relay-none' }]]);
const NO_NETWORK_EVENTS = process.env.HANGAR_BIDI_NO_NETWORK_EVENTS !== undefined;
const LISTENING = /WebDriver BiDi listening on (ws:\/\/\S+)/;

if (!existsSync(FIREFOX)) {
  process.stderr.write(`No Firefox at ${FIREFOX}. Install Debian's package (apt-get install -y firefox-esr) or set FIREFOX_PATH.\n`);
  process.exit(1);
}
const firefox = spawn(FIREFOX, process.argv.slice(2), { stdio: ['inherit', 'inherit', 'pipe'] });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => firefox.kill(signal));
firefox.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));

createInterface({ input: firefox.stderr }).on('line', async (line) => {
  const match = LISTENING.exec(line);
  if (match === null) {
    process.stderr.write(`${line}\n`);
    return;
  }
  const relay = await startRelay(match[1]);
  process.stderr.write(`${line.replace(match[1], relay)}\n`);
});

/** A BiDi relay in front of `upstream` (ws://host:port); resolves to its own ws:// address. */
function startRelay(upstream) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (client, request) => {
    const browser = new WebSocket(new URL(request.url ?? '/', upstream).href, { perMessageDeflate: false });
    const early = [];
    const optional = new Set();
    client.on('message', (data) => {
      let text = data.toString();
      const message = parse(text);
      if (NO_NETWORK_EVENTS && message?.method === 'session.subscribe') {
        message.params.events = message.params.events.filter((event) => event !== 'network' && !event.startsWith('network.'));
        text = JSON.stringify(message);
      }
      if (message !== undefined && ANSWERED.has(message.method)) {
        client.send(JSON.stringify({ type: 'success', id: message.id, result: ANSWERED.get(message.method) }));
        return;
      }
      if (message !== undefined && OPTIONAL.has(message.method)) optional.add(message.id);
      if (browser.readyState === WebSocket.OPEN) browser.send(text);
      else early.push(text);
    });
    browser.on('open', () => early.splice(0).forEach((text) => browser.send(text)));
    browser.on('message', (data) => {
      const text = data.toString();
      const message = parse(text);
      if (message === undefined || !optional.has(message.id)) return client.send(text);
      optional.delete(message.id);
      client.send(
        message.type === 'error' && message.error === 'unknown command'
          ? JSON.stringify({ type: 'success', id: message.id, result: {} })
          : text,
      );
    });
    const closeBoth = () => {
      client.close();
      browser.close();
    };
    client.on('close', closeBoth);
    browser.on('close', closeBoth);
    client.on('error', closeBoth);
    browser.on('error', closeBoth);
  });
  return new Promise((resolve) => server.on('listening', () => resolve(`ws://127.0.0.1:${server.address().port}`)));
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
