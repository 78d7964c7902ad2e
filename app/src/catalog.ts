/** A Whisper repo the app offers, and where it lives. */
export interface CatalogEntry {
  repo: string;
  label: string;
  /** `mirror`: the local mirror (fixtures, works without internet); `hub`: the Hugging Face Hub. */
  source: 'mirror' | 'hub';
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

/** The assistant models (a small instruct LLM, run on this device) the transcript assistant offers. */
export const ASSISTANTS: CatalogEntry[] = [
  { repo: 'hangar-test/tiny-llm', label: 'Tiny LLM fixture (random weights) · local mirror', source: 'mirror' },
];
