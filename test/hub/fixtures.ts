import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_TOKEN, type FileSource, type RepoDef } from "./repos";

const KB = 1024;

function tokenizerJson(): string {
  const vocab: Record<string, number> = { "[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4 };
  for (let i = 0; i < 200; i++) vocab[`tok${i.toString(36)}`] = 5 + i;
  return JSON.stringify(
    {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [
        { id: 0, content: "[PAD]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
        { id: 1, content: "[UNK]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      ],
      normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: "BertPreTokenizer" },
      model: { type: "WordLevel", vocab, unk_token: "[UNK]" },
    },
    null,
    2,
  );
}

function config(layers: number, revision: string): string {
  return JSON.stringify(
    {
      _name_or_path: "hangar-test/tiny-multi",
      architectures: ["BertModel"],
      model_type: "bert",
      hidden_size: 32,
      num_attention_heads: 2,
      num_hidden_layers: layers,
      vocab_size: 205,
      fixture_revision: revision,
    },
    null,
    2,
  );
}

const README = `---
library_name: transformers.js
pipeline_tag: feature-extraction
---

# tiny-multi

A fake model served by Hangar's fake Hub. The ONNX files are deterministic noise.
`;

/**
 * The built-in repos: hangar-test/tiny-multi, private-model, gated-model (token
 * hf_hangar_test_token) and silero-vad (ONNX files from node_modules/@ricky0123/vad-web, skipped
 * when missing), plus one-commit repos from `<root>/test/fixtures/repos/<org>/<name>/`.
 */
export function builtinFixtures(root: string): RepoDef[] {
  const defs: RepoDef[] = [
    {
      id: "hangar-test/tiny-multi",
      pipeline_tag: "feature-extraction",
      commits: [
        {
          message: "Initial upload",
          files: {
            "config.json": config(2, "v1.0"),
            "tokenizer.json": tokenizerJson(),
            "README.md": README,
            "onnx/model.onnx": { synthetic: { size: 300 * KB, seed: 1 } },
            "onnx/model_quantized.onnx": { synthetic: { size: 80 * KB, seed: 2 } },
          },
        },
        {
          message: "Retrain with 3 layers",
          files: { "config.json": config(3, "main"), "onnx/model.onnx": { synthetic: { size: 300 * KB, seed: 3 } } },
        },
        { message: "Add fp16 export", files: { "onnx/model_fp16.onnx": { synthetic: { size: 150 * KB, seed: 4 } } } },
      ],
      branches: { main: 1 },
      tags: { "v1.0": 0 },
      prs: { 1: 2 },
    },
  ];
  for (const [name, flags, seed] of [
    ["private-model", { private: true }, 10],
    ["gated-model", { gated: true }, 11],
  ] as const) {
    defs.push({
      id: `hangar-test/${name}`,
      ...flags,
      tokens: [DEFAULT_TOKEN],
      commits: [
        {
          files: {
            "config.json": JSON.stringify({ model_type: "bert", hidden_size: 32 }, null, 2),
            "onnx/model.onnx": { synthetic: { size: 100 * KB, seed } },
          },
        },
      ],
    });
  }
  const vad = join(root, "node_modules/@ricky0123/vad-web/dist");
  const v5 = join(vad, "silero_vad_v5.onnx");
  const legacy = join(vad, "silero_vad_legacy.onnx");
  if (existsSync(v5) && existsSync(legacy)) {
    defs.push({
      id: "hangar-test/silero-vad",
      commits: [
        {
          files: {
            "config.json": JSON.stringify({ model_type: "silero_vad" }, null, 2),
            "onnx/model.onnx": { diskPath: v5 },
            "onnx/model_legacy.onnx": { diskPath: legacy },
          },
        },
      ],
    });
  }
  return [...defs, ...folderFixtures(join(root, "test/fixtures/repos"))];
}

function walk(dir: string, prefix: string, out: Record<string, FileSource>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name === ".git") continue;
    const full = join(dir, entry.name);
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(full, rel, out);
    else if (statSync(full).isFile()) out[rel] = { diskPath: full };
  }
}

/** One-commit repos from `<dir>/<org>/<name>/` folders (none when `dir` is missing). */
export function folderFixtures(dir: string): RepoDef[] {
  if (!existsSync(dir)) return [];
  const defs: RepoDef[] = [];
  for (const org of readdirSync(dir, { withFileTypes: true })) {
    if (!org.isDirectory()) continue;
    for (const name of readdirSync(join(dir, org.name), { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      const files: Record<string, FileSource> = {};
      walk(join(dir, org.name, name.name), "", files);
      if (Object.keys(files).length) defs.push({ id: `${org.name}/${name.name}`, commits: [{ message: "Fixture folder", files }] });
    }
  }
  return defs;
}
