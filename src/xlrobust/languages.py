"""What the project knows about each language it supports: script, locales, codes for external resources.

Adding a language to a study is a ``params.yaml`` edit when it is listed here; a language that is missing here
gets a :class:`ConfigError` that names it and points at this table.
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


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("ar", "Arabic", "ara", "Arabic", "ar_AA", "ar", "٠١٢٣٤٥٦٧٨٩"),
        Language("bn", "Bengali", "ben", "Bengali", "bn_BD", "bn", "০১২৩৪৫৬৭৮৯"),
        Language("de", "German", "deu", "Latin", "de_DE", "de", ""),
        Language("en", "English", "eng", "Latin", "en_US", "en", ""),
        Language("es", "Spanish", "spa", "Latin", "es_ES", "es", ""),
        Language("fi", "Finnish", "fin", "Latin", "fi_FI", "fi", ""),
        Language("hi", "Hindi", "hin", "Devanagari", "hi_IN", "hi", "०१२३४५६७८९"),
        Language("id", "Indonesian", "ind", "Latin", "id_ID", "id", ""),
        Language("ru", "Russian", "rus", "Cyrillic", "ru_RU", "ru", ""),
        Language("sw", "Swahili", "swh", "Latin", "sw", "xx", ""),
    )
}


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
