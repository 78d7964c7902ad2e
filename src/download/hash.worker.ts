import type { IHasher } from 'hash-wasm';
import { createHasher } from './create-hasher.ts';
import type { HashReply, HashRequest } from './hash-thread.ts';

// Hashes the chunks a download worker sends, in order, and hands each buffer back for the next read.
let hasher: IHasher | undefined;
let reset = (): void => {};
let queue = Promise.resolve();

const reply = (message: HashReply, transfer: Transferable[] = []): void => postMessage(message, { transfer });

async function handle(message: HashRequest): Promise<void> {
  if (message.type === 'start') {
    ({ hasher, reset } = await createHasher(message.hash, message.size));
    if (message.state !== undefined) hasher.load(message.state);
    return;
  }
  if (hasher === undefined) throw new Error(`hash thread: '${message.type}' before 'start'`);
  switch (message.type) {
    case 'update':
      hasher.update(new Uint8Array(message.buffer, 0, message.length));
      reply({ type: 'buffer', buffer: message.buffer }, [message.buffer]);
      return;
    case 'reset':
      reset();
      return;
    case 'save':
      reply({ type: 'saved', state: hasher.save() });
      return;
    case 'digest':
      reply({ type: 'digest', hex: hasher.digest('hex') });
  }
}

self.onmessage = (event: MessageEvent<HashRequest>) => {
  queue = queue.then(() => handle(event.data)).catch((error: unknown) => reply({ type: 'error', message: String(error) }));
};
