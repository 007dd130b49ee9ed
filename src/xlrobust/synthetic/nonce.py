"""Large parallel pools of made-up surnames and city names, so that NER and QA cannot be solved by memorising.

The hand-written lexicons list 12 surnames and 20 cities per language; a model fine-tuned on them learns to
*emit* one of the few names it has seen (an English "Leeds" becomes "Leicester") instead of copying the name
from its input, and it never produces another language's names, so zero-shot NER and QA stay at 0. Here each
language gets ``N_NONCE`` extra surnames and cities composed from 3 of its own 16 syllables (plus a
language-typical place suffix for cities). The syllable lists are aligned (index j is the same sound, written in
each language's script), and the syllable indices of name i are drawn once for all languages, so nonce name i is
"the same" name in every language, transliterated: the sample stays parallel. Names are deterministic (a fixed
seeded permutation of the 16**3 combinations; no dependence on PYTHONHASHSEED) and distinct within a pool.

Case forms: where a language lists case forms of cities (ru, fi, bn) the nonce stem takes a regular suffix
paradigm (Russian "-ск": "в [Каломиске]"; Finnish "-la": "Kalomilassa", "Kalomilaan", "Kalomilan"; Bengali
"-পুর": "কালোমিপুরে", "কালোমিপুরের"); Russian surnames take "-нов"/"-нова".
"""

from __future__ import annotations

import random
from functools import cache

N_NONCE = 1000  # extra surnames and extra cities per language
_N_SYLLABLES = 16
_LEN = 3

_LATIN = ("ka", "lo", "mi", "ra", "tu", "ne", "sa", "po", "di", "ve", "ba", "ri", "go", "le", "ma", "nu")
SYLLABLES: dict[str, tuple[str, ...]] = {
    "en": _LATIN,
    "es": _LATIN,
    "id": _LATIN,
    "sw": _LATIN,
    "de": ("ka", "lo", "mi", "ra", "tu", "ne", "sa", "po", "di", "we", "ba", "ri", "go", "le", "ma", "nu"),
    "fi": ("ka", "lo", "mi", "ra", "tu", "ne", "sa", "po", "di", "ve", "pa", "ri", "ko", "le", "ma", "nu"),
    "ru": ("ка", "ло", "ми", "ра", "ту", "не", "са", "по", "ди", "ве", "ба", "ри", "го", "ле", "ма", "ну"),
    "hi": ("का", "लो", "मि", "रा", "तु", "ने", "सा", "पो", "दि", "वे", "बा", "रि", "गो", "ले", "मा", "नु"),
    "bn": ("কা", "লো", "মি", "রা", "তু", "নে", "সা", "পো", "দি", "ভে", "বা", "রি", "গো", "লে", "মা", "নু"),
    "ar": ("كا", "لو", "مي", "را", "تو", "ني", "سا", "بو", "دي", "في", "با", "ري", "غو", "لي", "ما", "نو"),
}
_CITY_SUFFIX = {"en": "ford", "de": "burg", "es": "ria", "id": "jaya", "sw": "ni", "fi": "la", "ru": "ск",
                "hi": "पुर", "bn": "পুর", "ar": "ان"}


@cache
def _combos(kind: str) -> tuple[tuple[int, ...], ...]:
    """``N_NONCE`` distinct syllable-index triples for ``kind`` ("surname" or "city"), the same for every language."""
    rng = random.Random(f"xlrobust.synthetic.nonce|{kind}")
    picks = rng.sample(range(_N_SYLLABLES**_LEN), N_NONCE)
    return tuple(tuple((p // _N_SYLLABLES**k) % _N_SYLLABLES for k in range(_LEN)) for p in picks)


def _stems(lang: str, kind: str) -> list[str]:
    if lang not in SYLLABLES:
        raise KeyError(f"no nonce syllables for language {lang!r}; add them to synthetic/nonce.py")
    syl = SYLLABLES[lang]
    stems = ["".join(syl[j] for j in combo) for combo in _combos(kind)]
    return [s[:1].upper() + s[1:] for s in stems]  # capitalises Latin/Cyrillic; other scripts have no case


def nonce_surnames(lang: str) -> tuple[str | tuple[str, str], ...]:
    """``N_NONCE`` surnames in ``lang``; (masculine, feminine) pairs where surnames agree (ru)."""
    stems = _stems(lang, "surname")
    if lang == "ru":
        return tuple((s + "нов", s + "нова") for s in stems)  # stems end in a vowel: Каломинов
    return tuple(stems)


def nonce_cities(lang: str) -> tuple[str | dict[str, str], ...]:
    """``N_NONCE`` city names in ``lang``, with the case forms that language's lexicon lists for its cities."""
    names = [s + _CITY_SUFFIX[lang] for s in _stems(lang, "city")]
    if lang == "ru":
        return tuple({"nom": n, "loc": f"в [{n}е]", "to": f"в [{n}]"} for n in names)
    if lang == "fi":
        return tuple({"nom": n, "loc": n + "ssa", "to": n + "an", "gen": n + "n"} for n in names)
    if lang == "bn":
        return tuple({"nom": n, "loc": n + "ে", "gen": n + "ের"} for n in names)
    return tuple(names)
