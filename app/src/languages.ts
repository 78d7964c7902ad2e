/** A language Whisper can be told to hear. */
export interface Language {
  /** Whisper's code (`en`, `de`, `haw`...). */
  code: string;
  /** Its English name. */
  name: string;
}

/** What the app reads of a Whisper `generation_config.json`. */
export interface WhisperGenerationConfig {
  is_multilingual?: boolean;
  lang_to_id?: Record<string, number>;
  task_to_id?: Record<string, number>;
}

/** What a Whisper model can do, from its generation config. */
export interface WhisperAbilities {
  /** The languages it knows, by English name; empty for an English-only model. */
  languages: Language[];
  /** Whether it can translate speech into English. */
  translate: boolean;
  englishOnly: boolean;
}

const NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** Reads what a Whisper model can do from its generation config (`lang_to_id`, `task_to_id`, `is_multilingual`). */
export function whisperAbilities(config: WhisperGenerationConfig): WhisperAbilities {
  const codes = Object.keys(config.lang_to_id ?? {})
    .map((token) => /^<\|(.+)\|>$/.exec(token)?.[1])
    .filter((code): code is string => code !== undefined);
  const englishOnly = config.is_multilingual === false || codes.length === 0;
  if (englishOnly) return { languages: [], translate: false, englishOnly };
  const languages = codes.map((code) => ({ code, name: languageName(code) })).sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return { languages, translate: config.task_to_id?.['translate'] !== undefined, englishOnly };
}

/** `de` -> `German`; a code Intl does not know stays as it is. */
export function languageName(code: string): string {
  try {
    return NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}
