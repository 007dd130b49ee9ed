"""Property tests: random text in Latin, Cyrillic, Arabic, Devanagari and Bengali script, every family.

Texts are built from well-formed syllables (base letter, optional nukta/virama conjunct/vowel sign/harakat),
mixed with the language's lexicon names and places and native-digit numbers, so every family has something to
change. Properties: valid Unicode, no combining mark orphaned at the start of a grapheme, NER tags valid BIO
of the same length as the tokens, QA answer spans matching the context.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlrobust.examples import NER_TAGS
from xlrobust.languages import get_language
from xlrobust.perturb import FAMILIES, perturb_examples
from xlrobust.perturb import lexicons as lx
from xlrobust.perturb.script import graphemes

SCRIPTS = {
    "en": ("abcdefghijklmnopqrstuvwxyzéñüABCDEFGHIJKLMNOPQRSTUVWXYZ", "\u0301", ""),
    "de": ("abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHÄÖÜ", "\u0308", ""),
    "ru": ("абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМН", "\u0301", ""),
    "ar": ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "\u064e\u064f\u0650\u0651\u0652\u064b", ""),
    "hi": ("कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह", "ािीुूेैोौंँ", "\u094d\u093c"),
    "bn": ("কখগঘচছজঝটঠডঢণতথদধনপফবভমযরলশষসহ", "ািীুূেৈোৌংঁ", "\u09cd\u09bc"),
}
LANGS = sorted(SCRIPTS)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def syllable(draw, lang: str) -> str:
    bases, signs, extra = SCRIPTS[lang]
    s = draw(st.sampled_from(bases))
    if extra and draw(st.booleans()):
        if draw(st.booleans()):
            s += extra[1]  # nukta
        if draw(st.booleans()):
            s += extra[0] + draw(st.sampled_from(bases))  # virama conjunct
        if draw(st.booleans()):
            s += extra[0] + draw(st.sampled_from(("\u200d", "\u200c"))) + draw(st.sampled_from(bases))
    if draw(st.integers(0, 3)) == 0:
        s += draw(st.sampled_from(signs))
    return s


@st.composite
def word(draw, lang: str) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        lex = lx.name_lexicon(lang)
        return f"{draw(st.sampled_from(lex.first_male + lex.first_female))} {draw(st.sampled_from(lex.last))}"
    if kind == 1:
        return draw(st.sampled_from(lx.place_lexicon(lang).countries))
    if kind == 2:
        digits = get_language(lang).digits or "0123456789"
        n = draw(st.integers(1, 2999))
        return "".join(digits[int(c)] for c in str(n))
    return "".join(draw(st.lists(syllable(lang), min_size=1, max_size=5)))


@st.composite
def sentence(draw, lang: str) -> str:
    words = draw(st.lists(word(lang), min_size=1, max_size=10))
    end = draw(st.sampled_from(["", ".", "?", "।", "؟", "،", "!"]))
    return " ".join(words) + end


def orphan_marks(text: str) -> int:
    """Combining marks/joiners that do not follow a letter, mark or joiner (the start of a broken cluster)."""
    count = 0
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d":
            prev = text[i - 1] if i else " "
            if not (unicodedata.category(prev)[0] in "LM" or prev in "\u200c\u200d"):
                count += 1
    return count


def valid_text(text: str) -> bool:
    text.encode("utf-8")  # raises on lone surrogates
    return orphan_marks(text) == 0


def bio_ok(tags: list[str]) -> bool:
    prev = "O"
    for tag in tags:
        if tag not in NER_TAGS:
            return False
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


@st.composite
def lang_family(draw):
    return draw(st.sampled_from(LANGS)), draw(st.sampled_from(sorted(FAMILIES)))


@SETTINGS
@given(data=st.data(), lf=lang_family(), rate=st.sampled_from([0.1, 0.5, 1.0]), seed=st.integers(0, 99))
def test_nli_text_stays_well_formed(data, lf, rate, seed):
    lang, family = lf
    ex = {
        "id": "h",
        "premise": data.draw(sentence(lang)),
        "hypothesis": data.draw(sentence(lang)),
        "label": "neutral",
    }
    assert valid_text(ex["premise"]) and valid_text(ex["hypothesis"])
    [out] = perturb_examples("xnli", lang, [ex], family, rate=rate, seed=seed)
    assert valid_text(out["premise"]) and valid_text(out["hypothesis"])
    assert out["label"] == "neutral" and out["orig_id"] == "h"
    assert out["changed"] == (out["premise"] != ex["premise"] or out["hypothesis"] != ex["hypothesis"])


@st.composite
def ner_example(draw, lang: str) -> dict:
    tokens: list[str] = []
    tags: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        typ = draw(st.sampled_from(["O", "O", "PER", "LOC", "ORG"]))
        n = 1 if typ == "O" else draw(st.integers(1, 3))
        for j in range(n):
            tokens.append(
                draw(word(lang)).replace(" ", "") if typ != "O" or j else draw(word(lang)).split()[0]
            )
            tags.append("O" if typ == "O" else f"{'B' if j == 0 else 'I'}-{typ}")
    if draw(st.booleans()):
        tokens.append(draw(st.sampled_from([".", "।", "؟"])))
        tags.append("O")
    return {"id": "n", "tokens": tokens, "tags": tags}


@SETTINGS
@given(data=st.data(), lf=lang_family(), rate=st.sampled_from([0.1, 0.5, 1.0]), seed=st.integers(0, 99))
def test_ner_tags_stay_bio_and_aligned(data, lf, rate, seed):
    lang, family = lf
    ex = data.draw(ner_example(lang))
    [out] = perturb_examples("panx", lang, [ex], family, rate=rate, seed=seed)
    assert len(out["tokens"]) == len(out["tags"]) and bio_ok(out["tags"])
    assert all(tok and not any(c.isspace() for c in tok) and valid_text(tok) for tok in out["tokens"])
    if family in ("typos", "casing", "numbers"):
        assert out["tags"] == ex["tags"]
    if family in ("typos", "casing", "numbers", "punctuation", "contractions"):  # entity count unchanged
        assert [t for t in out["tags"] if t[0] == "B"] == [t for t in ex["tags"] if t[0] == "B"]


@SETTINGS
@given(data=st.data(), lf=lang_family(), rate=st.sampled_from([0.1, 0.5, 1.0]), seed=st.integers(0, 99))
def test_qa_answer_spans_match(data, lf, rate, seed):
    lang, family = lf
    context = data.draw(sentence(lang)) + " " + data.draw(sentence(lang))
    words = [(i, w) for i, w in enumerate(context.split(" "))]
    i, _ = data.draw(st.sampled_from(words))
    j = data.draw(st.integers(i + 1, min(len(words), i + 3)))
    start = len(" ".join(context.split(" ")[:i])) + (1 if i else 0)
    text = " ".join(context.split(" ")[i:j])
    ex = {
        "id": "q",
        "question": data.draw(sentence(lang)),
        "context": context,
        "answers": [{"text": text, "answer_start": start}],
    }
    assert context[start : start + len(text)] == text
    [out] = perturb_examples("tydiqa", lang, [ex], family, rate=rate, seed=seed)
    [ans] = out["answers"]
    assert out["context"][ans["answer_start"] : ans["answer_start"] + len(ans["text"])] == ans["text"]
    assert valid_text(out["context"]) and valid_text(out["question"])
    if family in ("typos", "casing", "contractions", "punctuation"):
        assert ans["text"] == text


@settings(max_examples=40, deadline=None)
@given(data=st.data(), lang=st.sampled_from(["ar", "bn", "hi", "ru"]), seed=st.integers(0, 999))
def test_typos_move_only_whole_grapheme_clusters(data, lang, seed):
    """A typo swaps, drops or repeats whole clusters, so it never creates a cluster the input did not have
    (code-point typos would detach vowel signs, viramas, nuktas and harakat from their letters)."""
    ex = {
        "id": "t",
        "premise": data.draw(sentence(lang)),
        "hypothesis": data.draw(sentence(lang)),
        "label": "neutral",
    }
    [out] = perturb_examples("xnli", lang, [ex], "typos", rate=1.0, seed=seed)
    before = set(graphemes(ex["premise"] + " " + ex["hypothesis"]))
    assert set(graphemes(out["premise"])) <= before and set(graphemes(out["hypothesis"])) <= before
    assert valid_text(out["premise"]) and valid_text(out["hypothesis"])
