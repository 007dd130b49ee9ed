"""Script-aware string primitives: grapheme clusters, word typos, casing, numbers in any decimal digit system.

Typos in Devanagari, Bengali or Arabic must never separate a base letter from its vowel signs, virama, nukta or
harakat (that yields an invalid-looking "orphan" mark), so every operation works on extended grapheme clusters
(``regex``'s ``\\X``), with conjuncts (a cluster ending in a virama or ZWJ/ZWNJ, then a letter) kept together.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

import regex

from xlrobust.languages import LANGUAGES

ZWJ, ZWNJ = "\u200d", "\u200c"
JOINERS = frozenset({ZWJ, ZWNJ})
# A word: letters plus combining marks and joiners (Python's ``re`` \w misses Mn/Mc, which splits Indic words).
WORD_RE = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+")
# A number: a run of decimal digits of one system, not glued to letters (so "H2O", "1990s" stay untouched).
NUMBER_RE = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Nd}+(?![\p{L}\p{M}\p{N}])")
TERMINAL_RE = regex.compile(r"\p{Terminal_Punctuation}")
# Every script of xlrobust.languages without upper and lower case (all but Latin, Cyrillic, Greek).
CASELESS_SCRIPTS = frozenset({lang.script for lang in LANGUAGES.values() if not lang.cased})
TYPO_OPS: tuple[str, ...] = ("swap", "delete", "insert")
CASE_MODES: tuple[str, ...] = ("upper", "lower", "title")


def is_mark(ch: str) -> bool:
    """Combining marks (Mn, Mc, Me) and the joiners, which must always follow another character."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in JOINERS


def is_virama(ch: str) -> bool:
    return unicodedata.combining(ch) == 9


def graphemes(text: str) -> list[str]:
    """Extended grapheme clusters, with Indic conjuncts (virama/joiner + letter) merged into one unit."""
    out: list[str] = []
    for cluster in regex.findall(r"\X", text):
        if (
            out
            and (is_virama(out[-1][-1]) or out[-1][-1] in JOINERS)
            and unicodedata.category(cluster[0]) == "Lo"
        ):
            out[-1] += cluster
        elif out and is_mark(cluster[0]):  # defensive: a mark is never a unit of its own after something
            out[-1] += cluster
        else:
            out.append(cluster)
    return out


def single_codepoint_word(word: str) -> bool:
    """Whether every grapheme is one code point, the case where checklist's character swap is script-safe."""
    return all(len(g) == 1 for g in graphemes(word))


def typo_word(word: str, rng: random.Random, ops: tuple[str, ...], char_swap: Callable[[str], str]) -> str:
    """One typo in ``word`` (swap neighbours, delete or duplicate a grapheme); ``word`` itself if none applies.

    ``char_swap`` is checklist's ``Perturb.add_typos`` (seeded by the caller); it is used for swaps only where
    every grapheme is a single code point, since on Indic text it can split a letter from its marks.
    """
    units = graphemes(word)
    order = list(ops)
    rng.shuffle(order)
    for op in order:
        if op == "swap" and len(units) >= 2:
            if single_codepoint_word(word):
                new = char_swap(word)
                if new != word:
                    return new
            pairs = [i for i in range(len(units) - 1) if units[i] != units[i + 1]]
            if pairs:
                i = rng.choice(pairs)
                units[i], units[i + 1] = units[i + 1], units[i]
                return "".join(units)
        elif op == "delete" and len(units) >= 3:
            i = rng.randrange(len(units))
            return "".join(units[:i] + units[i + 1 :])
        elif op == "insert" and len(units) >= 2:
            i = rng.randrange(len(units))
            return "".join(units[: i + 1] + [units[i]] + units[i + 1 :])
    return word


def typo_eligible(word: str) -> bool:
    return len(graphemes(word)) >= 2


def case_variants(word: str, modes: tuple[str, ...]) -> list[str]:
    """The distinct re-casings of ``word`` (empty for words without cased letters)."""
    funcs = {"upper": str.upper, "lower": str.lower, "title": str.title}
    out: list[str] = []
    for mode in modes:
        new = funcs[mode](word)
        if new != word and new not in out:
            out.append(new)
    return out


def digit_zero(ch: str) -> str:
    """The zero of ``ch``'s decimal digit system (``'٣'`` -> ``'٠'``), so new numbers keep the text's digits."""
    return chr(ord(ch) - unicodedata.decimal(ch))


def number_value(digits: str) -> int:
    return int("".join(str(unicodedata.decimal(c)) for c in digits))


def render_number(value: int, zero: str, width: int) -> str:
    """``value`` written with the digit system whose zero is ``zero``, zero-padded to ``width``."""
    return "".join(chr(ord(zero) + int(d)) for d in str(value).zfill(width))


def new_number(value: int, width: int, rng: random.Random, avoid: frozenset[int] = frozenset()) -> int | None:
    """A different integer of the same digit count, within 20% of ``value`` when possible (as checklist's
    ``change_number``), so years stay years and small counts stay small; never one in ``avoid`` (the example's
    other numbers, which a collision would make equal). ``None`` if there is no such number."""
    lo_all, hi_all = (10 ** (width - 1) if width > 1 else 0), 10**width - 1
    near = (max(lo_all, int(value * 0.8)), min(hi_all, -(-value * 12 // 10)))
    for lo, hi in (near, (lo_all, hi_all)):
        options = [n for n in range(lo, hi + 1) if n != value and n not in avoid] if hi - lo < 64 else None
        if options:
            return rng.choice(options)
        if options is None:
            for _ in range(64):
                n = rng.randint(lo, hi)
                if n != value and n not in avoid:
                    return n
    return None


def number_changeable(digits: str) -> bool:
    """Leading-zero runs ("007", "000" in "1,000") are codes or digit groups; changing them reads oddly."""
    return len(digits) == 1 or unicodedata.decimal(digits[0]) != 0


def is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


# Sentence-final marks other than "." and "?" (Unicode CLDR exemplar punctuation of each language).
STATEMENT_MARKS: dict[str, str] = {"hi": "।", "bn": "।", "ur": "۔", "zh": "。", "ja": "。", "my": "။"}
QUESTION_MARKS: dict[str, str] = {
    "ar": "؟",
    "fa": "؟",
    "ur": "؟",
    "el": ";",
    "zh": "？",
    "ja": "？",
    "my": "။",
}
# Languages whose sentences end without a mark: adding one would not be natural text.
NO_FINAL_MARK: dict[str, str] = {"th": "Thai ends sentences with a space, not a mark"}


def final_mark(lang: str, question: bool) -> str:
    """The sentence-final mark a language writes: danda for Hindi/Bengali statements, Arabic question mark,
    ideographic full stop for Chinese and Japanese, ... ("." / "?" elsewhere)."""
    if question:
        return QUESTION_MARKS.get(lang, "?")
    return STATEMENT_MARKS.get(lang, ".")
