import { describe, expect, it } from 'vitest';
import { languageName, whisperAbilities } from './languages.ts';

describe('whisperAbilities', () => {
  it('names a multilingual model’s languages in English, sorted, and sees translate', () => {
    const abilities = whisperAbilities({
      is_multilingual: true,
      lang_to_id: { '<|en|>': 1, '<|de|>': 2, '<|haw|>': 3, '<|zz9|>': 4 },
      task_to_id: { transcribe: 5, translate: 6 },
    });
    expect(abilities.englishOnly).toBe(false);
    expect(abilities.translate).toBe(true);
    expect(abilities.languages.map((language) => language.name)).toEqual(['English', 'German', 'Hawaiian', 'zz9']);
    expect(abilities.languages.find((language) => language.name === 'German')?.code).toBe('de');
  });

  it('an English-only model offers no language and no translation', () => {
    expect(whisperAbilities({ is_multilingual: false, lang_to_id: { '<|en|>': 1 } })).toEqual({
      languages: [],
      translate: false,
      englishOnly: true,
    });
    expect(whisperAbilities({})).toMatchObject({ englishOnly: true });
  });

  it('a model without a translate task does not offer it', () => {
    expect(whisperAbilities({ lang_to_id: { '<|fr|>': 1 }, task_to_id: { transcribe: 2 } }).translate).toBe(false);
  });

  it('keeps a code Intl cannot name', () => {
    expect(languageName('not a code!')).toBe('not a code!');
  });
});
