"""What the project knows about each language it supports: script, locales, codes for external resources.

Every language of XTREME's XNLI, PAN-X and TyDiQA-GoldP (plus XQuAD's and MLQA's) is listed, so adding one as a
target of real data is a ``params.yaml`` edit; a language missing here gets a :class:`ConfigError` that names it
and points at this table. The offline sample (``xlrobust.synthetic``) has templates for ten of them only.

``faker_locale`` is ``""`` where Faker has no locale for the language: the name and place perturbations, which
need its lexicon, then say so and skip the language (``xlrobust.perturb``). ``spaced`` is False for scripts
written without spaces between words (Thai, Chinese, Japanese, Burmese): word-based perturbations skip them and
QA scoring segments them per character (MLQA's ``mixed_segmentation``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from xlrobust.errors import ConfigError


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as used by XNLI / PAN-X / TyDiQA file names
    name: str
    iso639_3: str  # for URIEL / lang2vec
    script: str  # Latin, Arabic, Bengali, Devanagari, Cyrillic
    faker_locale: str
    spacy_code: str  # spacy.blank() code ('xx' where spaCy has no tokenizer rules)
    digits: str  # the native decimal digits 0-9 of the script ('' when it uses ASCII digits)
    spaced: bool = True  # words are separated by spaces (False: Thai, Han, Japanese, Burmese)

    @property
    def cased(self) -> bool:
        """Whether the script has upper and lower case (Latin, Cyrillic, Greek)."""
        return self.script in CASED_SCRIPTS


CASED_SCRIPTS = frozenset({"Latin", "Cyrillic", "Greek"})


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("af", "Afrikaans", "afr", "Latin", "", "af", ""),
        Language("ar", "Arabic", "ara", "Arabic", "ar_AA", "ar", "٠١٢٣٤٥٦٧٨٩"),
        Language("bg", "Bulgarian", "bul", "Cyrillic", "bg_BG", "bg", ""),
        Language("bn", "Bengali", "ben", "Bengali", "bn_BD", "bn", "০১২৩৪৫৬৭৮৯"),
        Language("de", "German", "deu", "Latin", "de_DE", "de", ""),
        Language("el", "Greek", "ell", "Greek", "el_GR", "el", ""),
        Language("en", "English", "eng", "Latin", "en_US", "en", ""),
        Language("es", "Spanish", "spa", "Latin", "es_ES", "es", ""),
        Language("et", "Estonian", "est", "Latin", "et_EE", "et", ""),
        Language("eu", "Basque", "eus", "Latin", "", "eu", ""),
        Language("fa", "Persian", "pes", "Arabic", "fa_IR", "fa", "۰۱۲۳۴۵۶۷۸۹"),
        Language("fi", "Finnish", "fin", "Latin", "fi_FI", "fi", ""),
        Language("fr", "French", "fra", "Latin", "fr_FR", "fr", ""),
        Language("he", "Hebrew", "heb", "Hebrew", "he_IL", "he", ""),
        Language("hi", "Hindi", "hin", "Devanagari", "hi_IN", "hi", "०१२३४५६७८९"),
        Language("hu", "Hungarian", "hun", "Latin", "hu_HU", "hu", ""),
        Language("id", "Indonesian", "ind", "Latin", "id_ID", "id", ""),
        Language("it", "Italian", "ita", "Latin", "it_IT", "it", ""),
        Language("ja", "Japanese", "jpn", "Japanese", "ja_JP", "xx", "", spaced=False),
        Language("jv", "Javanese", "jav", "Latin", "", "xx", ""),
        Language("ka", "Georgian", "kat", "Georgian", "ka_GE", "xx", ""),
        Language("kk", "Kazakh", "kaz", "Cyrillic", "", "xx", ""),
        Language("ko", "Korean", "kor", "Hangul", "ko_KR", "xx", ""),
        Language("ml", "Malayalam", "mal", "Malayalam", "", "ml", ""),
        Language("mr", "Marathi", "mar", "Devanagari", "mr_IN", "mr", "०१२३४५६७८९"),
        Language("ms", "Malay", "zsm", "Latin", "", "ms", ""),
        Language("my", "Burmese", "mya", "Myanmar", "", "xx", "၀၁၂၃၄၅၆၇၈၉", spaced=False),
        Language("nl", "Dutch", "nld", "Latin", "nl_NL", "nl", ""),
        Language("pt", "Portuguese", "por", "Latin", "pt_BR", "pt", ""),
        Language("ro", "Romanian", "ron", "Latin", "ro_RO", "ro", ""),
        Language("ru", "Russian", "rus", "Cyrillic", "ru_RU", "ru", ""),
        Language("sw", "Swahili", "swh", "Latin", "sw", "xx", ""),
        Language("ta", "Tamil", "tam", "Tamil", "ta_IN", "ta", ""),
        Language("te", "Telugu", "tel", "Telugu", "", "te", ""),
        Language("th", "Thai", "tha", "Thai", "th_TH", "xx", "", spaced=False),
        Language("tl", "Tagalog", "tgl", "Latin", "tl_PH", "tl", ""),
        Language("tr", "Turkish", "tur", "Latin", "tr_TR", "tr", ""),
        Language("ur", "Urdu", "urd", "Arabic", "", "ur", "۰۱۲۳۴۵۶۷۸۹"),
        Language("vi", "Vietnamese", "vie", "Latin", "vi_VN", "xx", ""),
        Language("yo", "Yoruba", "yor", "Latin", "yo_NG", "yo", ""),
        Language("zh", "Chinese", "cmn", "Han", "zh_CN", "xx", "", spaced=False),
    )
}


# Languages with a Faker locale and spaces between words: the name and place lexicons of xlrobust.perturb exist.
LEXICON_LANGUAGES: tuple[str, ...] = tuple(
    c for c, lang in LANGUAGES.items() if lang.faker_locale and lang.spaced
)

# The study's default languages (params.yaml ``languages``): the ones the offline sample has templates for.
STUDY_LANGUAGES: tuple[str, ...] = ("ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw")


def get_language(code: str) -> Language:
    """Look up ``code``; an unknown code is a ConfigError suggesting close codes."""
    try:
        return LANGUAGES[code]
    except KeyError:
        close = difflib.get_close_matches(str(code), LANGUAGES, n=3, cutoff=0.3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ConfigError(
            f"unknown language code {code!r}.{hint} Known: {', '.join(sorted(LANGUAGES))}. "
            "To add one, add an entry to LANGUAGES in src/xlrobust/languages.py (and offline templates in "
            "src/xlrobust/synthetic/ for the offline sample)."
        ) from None
