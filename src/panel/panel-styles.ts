/** The panel's stylesheet (inside its shadow root): light and dark, readable from 320 px wide. */
export const PANEL_CSS = `
:host {
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0969da; --ok: #1a7f37; --bad: #cf222e; --bar: #0969da33;
  color-scheme: light dark;
  font: 13px/1.45 system-ui, sans-serif;
  color: var(--fg);
  display: block;
}
@media (prefers-color-scheme: dark) {
  :host { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --accent: #4493f8; --ok: #3fb950; --bad: #f85149; --bar: #4493f840; }
}
:host([theme='light']) { --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0969da; --ok: #1a7f37; --bad: #cf222e; --bar: #0969da33; }
:host([theme='dark']) { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --accent: #4493f8; --ok: #3fb950; --bad: #f85149; --bar: #4493f840; }
* { box-sizing: border-box; }
.panel { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px; max-width: 100%; }
:host([mode='dock']) .panel { position: fixed; right: 12px; bottom: 56px; width: min(720px, calc(100vw - 24px)); max-height: calc(100vh - 80px); overflow: auto; box-shadow: 0 8px 24px #0004; z-index: 2147483646; }
:host([mode='dock']:not([open])) .panel { display: none; }
.toggle { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; background: var(--bg); }
:host(:not([mode='dock'])) .toggle, :host(:not([mode='dock'])) .close { display: none; }
header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
h2 { font-size: 15px; margin: 0; flex: 1; }
h3 { font-size: 13px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
button { font: inherit; color: var(--fg); background: transparent; border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button:focus-visible, summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.muted { color: var(--muted); }
.msg { min-height: 1.2em; margin: 6px 0; }
.msg.error { color: var(--bad); }
.meter { height: 10px; border-radius: 5px; background: var(--line); overflow: hidden; margin: 4px 0; }
.meter > span { display: block; height: 100%; background: var(--accent); }
progress { width: 100%; height: 8px; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: top; }
td.path { white-space: normal; word-break: break-all; min-width: 10em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
details { border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; margin: 6px 0; }
summary { cursor: pointer; display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
summary .repo { font-weight: 600; word-break: break-all; }
.badge { border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; font-size: 11px; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.bars { list-style: none; padding: 0; margin: 0; }
.bars li { display: grid; grid-template-columns: minmax(0, 12em) 1fr auto; gap: 6px; align-items: center; }
.bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar { height: 8px; background: var(--accent); border-radius: 4px; min-width: 2px; }
.spark .line { stroke: var(--accent); stroke-width: 1.5; }
.spark .base { stroke: var(--line); }
.preview { border-left: 3px solid var(--accent); padding-left: 8px; margin: 6px 0; }
code { font-size: 12px; }
`;
