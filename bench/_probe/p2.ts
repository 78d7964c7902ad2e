import { readMemory, rendererPids } from '../proc-mem.ts';
import { readFile } from 'node:fs/promises';
const pid = Number(process.argv[2]);
let t=performance.now(); for (let i=0;i<20;i++) await readMemory(pid); console.log('readMemory ms', (performance.now()-t)/20);
t=performance.now(); for (let i=0;i<20;i++) await readFile(`/proc/${pid}/smaps_rollup`,'utf8'); console.log('rollup ms', (performance.now()-t)/20);
t=performance.now(); for (let i=0;i<20;i++) await readFile(`/proc/${pid}/status`,'utf8'); console.log('status ms', (performance.now()-t)/20);
t=performance.now(); for (let i=0;i<5;i++) await rendererPids(1); console.log('scan ms', (performance.now()-t)/5);
