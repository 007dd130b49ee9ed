"""The made-up surname and city pools of the offline sample (xlrobust.synthetic.nonce)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xlrobust.synthetic import generate_ner
from xlrobust.synthetic._spec import N_CITIES, N_HANDWRITTEN_CITIES, N_HANDWRITTEN_SURNAMES, N_SURNAMES
from xlrobust.synthetic.languages import SPECS
from xlrobust.synthetic.nonce import N_NONCE, SYLLABLES, _combos, nonce_cities, nonce_surnames


def test_pools_are_large_distinct_and_appended_after_the_handwritten_lexicon() -> None:
    assert N_SURNAMES == N_HANDWRITTEN_SURNAMES + N_NONCE and N_CITIES == N_HANDWRITTEN_CITIES + N_NONCE
    for lang, spec in SPECS.items():
        assert spec.surnames[N_HANDWRITTEN_SURNAMES:] == nonce_surnames(lang)
        assert spec.cities[N_HANDWRITTEN_CITIES:] == nonce_cities(lang)
        assert len(set(map(str, spec.surnames))) == N_SURNAMES, lang
        assert len(set(map(str, spec.cities))) == N_CITIES, lang


def test_every_language_has_16_distinct_syllables_in_its_own_script() -> None:
    assert set(SYLLABLES) == set(SPECS)
    for lang, syl in SYLLABLES.items():
        assert len(syl) == 16 and len(set(syl)) == 16, lang
    assert all("\u0900" <= c <= "\u097f" for s in SYLLABLES["hi"] for c in s)
    assert all("\u0400" <= c <= "\u04ff" for s in SYLLABLES["ru"] for c in s)


def test_name_i_is_the_same_syllable_sequence_in_every_language() -> None:
    combo = _combos("surname")[7]
    assert nonce_surnames("en")[7] == "".join(SYLLABLES["en"][j] for j in combo).capitalize()
    assert nonce_surnames("hi")[7] == "".join(SYLLABLES["hi"][j] for j in combo)
    assert nonce_surnames("ru")[7][0].startswith("".join(SYLLABLES["ru"][j] for j in combo).capitalize())
    assert _combos("surname") != _combos("city")


@pytest.mark.parametrize("lang", ["ru", "fi", "bn"])
def test_inflected_city_forms_follow_the_nominative(lang: str) -> None:
    for city in nonce_cities(lang)[:50]:
        assert isinstance(city, dict) and set(city) == set(SPECS[lang].cities[0])
        assert all(city["nom"] in form.replace("[", "").replace("]", "") for form in city.values())


def test_pools_do_not_depend_on_the_hash_seed() -> None:
    code = "from xlrobust.synthetic.nonce import *; print(nonce_surnames('en')[:5], nonce_cities('ru')[:3])"
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "PYTHONPATH": ":".join(sys.path)}).stdout
        for seed in ("0", "123")
    }
    assert len(outs) == 1


def test_generated_ner_uses_made_up_names_in_parallel() -> None:
    en, es = generate_ner("en", "train", 200, 3), generate_ner("es", "train", 200, 3)
    surnames = set(nonce_surnames("en"))
    assert sum(any(t in surnames for t in ex["tokens"]) for ex in en) > 20  # most people now have a nonce surname
    for a, b in zip(en, es, strict=True):
        na = [t for t in a["tokens"] if t in surnames]
        nb = [t for t in b["tokens"] if t in set(nonce_surnames("es"))]
        assert na == nb  # en and es share the Latin syllables: the same made-up surname at index i
