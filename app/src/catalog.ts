import type { Dtype } from 'hangar';

/** A model repo the app offers, and where it lives. */
export interface CatalogEntry {
  repo: string;
  label: string;
  /** `mirror`: the local mirror (fixtures, works without internet); `hub`: the Hugging Face Hub. */
  source: 'mirror' | 'hub';
  /** Bytes of each weight variant as the Hub's file list shows them, for before the Hub is asked (or when it cannot be). */
  listed?: Partial<Record<Dtype, number>>;
}

/** The models in the picker: the mirror's tiny fixture and the real Whisper exports on the Hub. */
export const CATALOG: CatalogEntry[] = [
  { repo: 'hangar-test/whisper-tiny', label: 'Tiny Whisper fixture (random weights) · local mirror', source: 'mirror' },
  { repo: 'onnx-community/whisper-tiny', label: 'Whisper tiny (39 M) · Hugging Face Hub', source: 'hub' },
  { repo: 'onnx-community/whisper-tiny.en', label: 'Whisper tiny.en (39 M, English only) · Hugging Face Hub', source: 'hub' },
  { repo: 'onnx-community/whisper-base', label: 'Whisper base (74 M) · Hugging Face Hub', source: 'hub' },
  { repo: 'onnx-community/whisper-small', label: 'Whisper small (244 M) · Hugging Face Hub', source: 'hub' },
];

/** Variants a picker lists, lightest first (transformers.js dtype names). */
export const VARIANTS = ['q8', 'fp16', 'fp32'] as const;

const MB = 1e6;

/**
 * The assistant models (a small instruct LLM, run on this device) the transcript assistant offers.
 * Sizes are the Hub's own file lists (huggingface.co/<repo>/tree/main/onnx, read 2026-12): one
 * graph per variant, no external data, and no 8-bit variant in the SmolLM2 repos.
 */
export const ASSISTANTS: CatalogEntry[] = [
  { repo: 'hangar-test/tiny-llm', label: 'Tiny LLM fixture (random weights) · local mirror', source: 'mirror' },
  {
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    label: 'SmolLM2 135M Instruct · Hugging Face Hub',
    source: 'hub',
    listed: { q4f16: 134 * MB, q4: 200 * MB, fp16: 327 * MB, fp32: 654 * MB },
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    label: 'SmolLM2 360M Instruct · Hugging Face Hub',
    source: 'hub',
    listed: { q4f16: 299 * MB, q4: 417 * MB, fp16: 819 * MB, fp32: 1640 * MB },
  },
  {
    repo: 'onnx-community/Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5 0.5B Instruct · Hugging Face Hub',
    source: 'hub',
    listed: { q4f16: 483 * MB, q4: 786 * MB, q8: 512 * MB, fp16: 997 * MB, fp32: 1990 * MB },
  },
];

/** Variants the assistant picker lists, lightest first. */
export const ASSISTANT_VARIANTS: Dtype[] = ['q4f16', 'q4', 'q8', 'fp16', 'fp32'];
