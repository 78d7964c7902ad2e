import { RuntimeError } from '../errors/index.ts';

/** A tensor type as the graph declares it: element type and shape (numbers, symbolic names, or null for unknown). */
export interface OnnxValueInfo {
  name: string;
  elemType: string;
  shape: Array<number | string | null> | null;
}

/** What `readOnnxHeader` finds without reading the weights. */
export interface OnnxHeader {
  irVersion: number;
  producer: string;
  opsets: Array<{ domain: string; version: number }>;
  /** Graph inputs that are real inputs (initializers listed as inputs by old exporters are left out). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: number;
  nodes: number;
}

/** TensorProto.DataType names. */
const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

const WINDOW = 64 * 1024;

/** Reads protobuf fields from a Blob through small slices; skipping a field costs no read. */
class BlobReader {
  pos = 0;
  #buffer = new Uint8Array(0);
  #bufferAt = 0;
  readonly blob: Blob;
  readonly path: string;
  constructor(blob: Blob, path: string) {
    this.blob = blob;
    this.path = path;
  }

  async #byte(): Promise<number> {
    if (this.pos >= this.blob.size) throw this.invalid('the file ends inside a field (truncated?)');
    if (this.pos < this.#bufferAt || this.pos >= this.#bufferAt + this.#buffer.length) {
      this.#bufferAt = this.pos;
      this.#buffer = new Uint8Array(await this.blob.slice(this.pos, this.pos + WINDOW).arrayBuffer());
    }
    return this.#buffer[this.pos++ - this.#bufferAt]!;
  }

  async varint(): Promise<number> {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = await this.#byte();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(result)) throw this.invalid('a number is out of range');
        return result;
      }
      scale *= 128;
    }
    throw this.invalid('a varint is longer than 10 bytes');
  }

  async bytes(length: number): Promise<Uint8Array> {
    this.check(length);
    const out = new Uint8Array(await this.blob.slice(this.pos, this.pos + length).arrayBuffer());
    this.pos += length;
    return out;
  }

  check(length: number): void {
    if (this.pos + length > this.blob.size) throw this.invalid(`a field of ${length} bytes runs past the end of the file (truncated?)`);
  }

  /** Skips a field's value of `wireType` without reading it. */
  async skip(wireType: number): Promise<void> {
    if (wireType === 0) await this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 5) this.advance(4);
    else if (wireType === 2) this.advance(await this.varint());
    else throw this.invalid(`unknown protobuf wire type ${wireType}`);
  }

  advance(length: number): void {
    this.check(length);
    this.pos += length;
  }

  /** Iterates the fields of a message that ends at `end`. */
  async *fields(end: number): AsyncGenerator<{ field: number; wireType: number }> {
    while (this.pos < end) {
      const key = await this.varint();
      const field = Math.floor(key / 8);
      if (field === 0) throw this.invalid('field number 0');
      yield { field, wireType: key % 8 };
    }
    if (this.pos !== end) throw this.invalid('a message overruns its length');
  }

  invalid(why: string): RuntimeError {
    return new RuntimeError('MODEL_INVALID', `${this.path}: not a valid ONNX model: ${why}`, {
      details: { path: this.path, offset: this.pos },
    });
  }
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

async function message(reader: BlobReader, wireType: number): Promise<number> {
  if (wireType !== 2) throw reader.invalid('expected an embedded message');
  const length = await reader.varint();
  reader.check(length);
  return reader.pos + length;
}

async function readShape(reader: BlobReader, end: number): Promise<Array<number | string | null>> {
  const dims: Array<number | string | null> = [];
  for await (const { field, wireType } of reader.fields(end)) {
    if (field !== 1) {
      await reader.skip(wireType);
      continue;
    }
    const dimEnd = await message(reader, wireType);
    let dim: number | string | null = null;
    for await (const inner of reader.fields(dimEnd)) {
      if (inner.field === 1 && inner.wireType === 0) dim = await reader.varint();
      else if (inner.field === 2 && inner.wireType === 2) dim = text(await reader.bytes(await reader.varint()));
      else await reader.skip(inner.wireType);
    }
    dims.push(dim);
  }
  return dims;
}

async function readValueInfo(reader: BlobReader, end: number): Promise<OnnxValueInfo> {
  const info: OnnxValueInfo = { name: '', elemType: 'unknown', shape: null };
  for await (const { field, wireType } of reader.fields(end)) {
    if (field === 1 && wireType === 2) info.name = text(await reader.bytes(await reader.varint()));
    else if (field === 2) {
      const typeEnd = await message(reader, wireType);
      for await (const type of reader.fields(typeEnd)) {
        if (type.field !== 1) {
          info.elemType = 'non-tensor';
          await reader.skip(type.wireType);
          continue;
        }
        const tensorEnd = await message(reader, type.wireType);
        for await (const tensor of reader.fields(tensorEnd)) {
          if (tensor.field === 1 && tensor.wireType === 0) info.elemType = ELEM_TYPES[await reader.varint()] ?? 'unknown';
          else if (tensor.field === 2) info.shape = await readShape(reader, await message(reader, tensor.wireType));
          else await reader.skip(tensor.wireType);
        }
      }
    } else await reader.skip(wireType);
  }
  return info;
}

/** The name of a TensorProto (field 8), read before its data (field 9 and up) and the rest skipped. */
async function readInitializerName(reader: BlobReader, end: number): Promise<string> {
  let name = '';
  for await (const { field, wireType } of reader.fields(end)) {
    if (field === 8 && wireType === 2) {
      name = text(await reader.bytes(await reader.varint()));
      reader.advance(end - reader.pos);
      break;
    }
    await reader.skip(wireType);
  }
  return name;
}

/**
 * Parses an ONNX ModelProto's header from a Blob (IR version, opsets, producer, graph inputs and
 * outputs with types and shapes) reading only small slices: initializers and nodes are skipped by
 * length, never loaded. Truncated, corrupt or non-ONNX bytes throw RuntimeError MODEL_INVALID.
 */
export async function readOnnxHeader(blob: Blob, path = 'model'): Promise<OnnxHeader> {
  const reader = new BlobReader(blob, path);
  const header: OnnxHeader = { irVersion: 0, producer: '', opsets: [], inputs: [], outputs: [], initializers: 0, nodes: 0 };
  const inputs: OnnxValueInfo[] = [];
  const initializerNames = new Set<string>();
  let sawGraph = false;
  for await (const { field, wireType } of reader.fields(blob.size)) {
    if (field === 1 && wireType === 0) header.irVersion = await reader.varint();
    else if (field === 2 && wireType === 2) header.producer = text(await reader.bytes(await reader.varint()));
    else if (field === 8) {
      const end = await message(reader, wireType);
      const opset = { domain: '', version: 0 };
      for await (const inner of reader.fields(end)) {
        if (inner.field === 1 && inner.wireType === 2) opset.domain = text(await reader.bytes(await reader.varint()));
        else if (inner.field === 2 && inner.wireType === 0) opset.version = await reader.varint();
        else await reader.skip(inner.wireType);
      }
      header.opsets.push(opset);
    } else if (field === 7) {
      sawGraph = true;
      const end = await message(reader, wireType);
      for await (const inner of reader.fields(end)) {
        if (inner.field === 11) inputs.push(await readValueInfo(reader, await message(reader, inner.wireType)));
        else if (inner.field === 12) header.outputs.push(await readValueInfo(reader, await message(reader, inner.wireType)));
        else if (inner.field === 5) {
          header.initializers++;
          initializerNames.add(await readInitializerName(reader, await message(reader, inner.wireType)));
        } else {
          if (inner.field === 1) header.nodes++;
          await reader.skip(inner.wireType);
        }
      }
    } else if (field > 0 && field < 30) await reader.skip(wireType);
    else throw reader.invalid(`unexpected field ${field}`);
  }
  if (header.irVersion < 1 || header.irVersion > 100 || !sawGraph) throw reader.invalid(sawGraph ? 'no IR version' : 'no graph');
  header.inputs = inputs.filter((input) => !initializerNames.has(input.name));
  return header;
}
