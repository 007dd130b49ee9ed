"""The raw-text ``names`` and ``locations`` detectors (issue #15): the bad edits found on real XNLI/TyDiQA text
no longer happen, real names and places still change, and precision on real PAN-X text meets its target."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from xlrobust.perturb import evidence as ev
from xlrobust.perturb import heads, perturb_examples
from xlrobust.perturb.edits import apply_edits
from xlrobust.perturb.text import PLANNERS, Ctx, Field

REPO = Path(__file__).resolve().parents[1]


def changed_words(lang: str, family: str, text: str, seeds: int = 5) -> set[str]:
    """The words ``family`` replaces in ``text`` at rate 1.0, over a few seeds."""
    out: set[str] = set()
    for seed in range(seeds):
        (edits,) = PLANNERS[family]([Field(text)], Ctx(lang, random.Random(seed), 1.0, {}, None))
        out.update(text[ed.start : ed.end] for ed in edits)
    return out


# Each sentence holds a word the old detectors changed (issue #15, found on real XNLI/TyDiQA text).
QUOTED = [
    ("sw", "names", "Vita Kuu ya Pili ya Dunia ilianza mwaka 1939.", {"Dunia"}),
    ("sw", "names", "Alisafiri kwa meli katika Bahari ya Hindi.", {"Bahari"}),
    ("sw", "names", "Viongozi walisisitiza Umoja wa nchi zao.", {"Umoja"}),
    ("ar", "names", "كان هناك نور حرب في الأفق .", {"حرب", "نور حرب"}),  # "a light of war"; نور is a name
    ("id", "names", "Ia belajar melukis di Paris selama dua tahun.", {"Paris"}),
    ("es", "names", "Colón vino a América en 1492.", {"América"}),
    ("es", "names", "Ella nació en Puerto Rico.", {"Rico", "Puerto Rico"}),
    ("es", "locations", "Ella nació en Puerto Rico.", {"Rico", "Puerto"}),  # kept whole (already so before)
    ("en", "names", "She danced with the San Francisco Ballet for years.", {"Francisco", "Francisco Ballet"}),
    ("en", "names", "Paul was a Christian apostle.", {"Christian"}),
]


@pytest.mark.parametrize(("lang", "family", "text", "bad"), QUOTED)
def test_quoted_bad_edits_no_longer_happen(lang: str, family: str, text: str, bad: set[str]) -> None:
    assert not changed_words(lang, family, text) & bad


def test_quoted_bad_edits_through_the_public_api() -> None:
    examples = [
        {
            "id": "1",
            "premise": "Vita Kuu ya Pili ya Dunia ilianza.",
            "hypothesis": "Bahari ya Hindi.",
            "label": "0",
        }
    ]
    out = perturb_examples("xnli", "sw", examples, "names", rate=1.0, seed=0)
    assert out[0]["changed"] is False


@pytest.mark.parametrize(
    ("lang", "family", "text", "expected"),
    [
        ("en", "names", "Yesterday the senator said that John Smith met him.", {"John Smith"}),
        ("de", "names", "Gestern traf Angela Müller den Minister.", {"Angela Müller"}),
        ("es", "locations", "El presidente viajó a Francia la semana pasada.", {"Francia"}),
        ("en", "locations", "The delegation flew to Japan on Monday.", {"Japan"}),
        ("ar", "locations", "سافر الوفد إلى فرنسا في الصيف .", {"فرنسا"}),
        ("hi", "locations", "वह भारत में था ।", {"भारत"}),
    ],
)
def test_real_names_and_places_still_change(lang: str, family: str, text: str, expected: set[str]) -> None:
    assert changed_words(lang, family, text) == expected


def test_multiword_place_replaced_whole() -> None:
    text = "They moved to Puerto Rico last year."
    for seed in range(5):
        (edits,) = PLANNERS["locations"]([Field(text)], Ctx("en", random.Random(seed), 1.0, {}, None))
        assert [text[e.start : e.end] for e in edits] == ["Puerto Rico"]
        assert "Puerto" not in apply_edits(text, edits).replace("Puerto Rico", "")


def test_refused_occurrence_keeps_the_whole_entity_unchanged() -> None:
    # "Bank of India" is refused (part of an organisation name): the lone "India" must not change either,
    # or the example would speak of two countries
    assert changed_words("en", "locations", "He works at the Bank of India and lives in India.") == set()
    assert changed_words("en", "locations", "He works in Mumbai and lives in India.") == {"India"}


def test_glued_boundaries() -> None:
    t = "He joined the Bank of India in 1990."
    s = t.index("India")
    assert ev.glued(t, s, s + len("India"), "en", cased=True)
    t = "Ike & Tina Turner sang."
    s = t.index("Tina")
    assert ev.glued(t, s, s + len("Tina Turner"), "en", cased=True)
    t = "شارك منتخب هولندا لكرة القدم ."
    s = t.index("هولندا")
    assert ev.glued(t, s, s + len("هولندا"), "ar", cased=False)
    t = "ذهب إلى هولندا ."
    s = t.index("هولندا")
    assert not ev.glued(t, s, s + len("هولندا"), "ar", cased=False)


# Names of organisations, facilities and titles that hold a person or place name (``perturb.heads``), and
# lone first names that are titles or list items (``evidence.doubtful_lone_name``); sentences written here.
INSIDE_OTHER_NAMES = [
    ("en", "locations", "He taught at Catholic High School, Malaysia for years.", "He taught in Malaysia."),
    ("id", "locations", "Dia bekerja di Kedutaan Besar di Jepang .", "Dia tinggal di Jepang ."),
    ("hi", "locations", "भारत के विश्वविद्यालयों की सूची", "भारत के प्रधानमंत्री ने कहा ।"),
    ("ar", "locations", "قائمة الجامعات في مصر", "سافر الوفد إلى مصر ."),
    ("ar", "locations", "الأميرة ماريا من إسبانيا", "سافر الوفد إلى إسبانيا ."),
    ("fi", "names", "Yhtiön nimi on Aino Oyj .", "Aino Virtanen asuu täällä ."),
    ("en", "names", "They watched Romeo and Juliet again.", None),
    ("de", "names", "Die Band Alice in Chains spielte .", None),
    ("en", "names", "Nearby towns are Castello , Bruno , Montegrosso and Asti .", None),
]


@pytest.mark.parametrize(("lang", "family", "inside", "alone"), INSIDE_OTHER_NAMES)
def test_names_and_places_inside_other_names_stay(
    lang: str, family: str, inside: str, alone: str | None
) -> None:
    assert changed_words(lang, family, inside) == set()
    if alone is not None:  # the same word on its own still changes
        assert changed_words(lang, family, alone)


def test_head_words() -> None:
    assert heads.is_head("Temple", "en") and heads.is_head("الجامعة", "ar") and heads.is_head("Oyj", "fi")
    assert not heads.is_head("River", "en")  # a geographic head names a place
    t = "Die Nachbarorte sind Castello , Bruno , Montegrosso ."
    s = t.index("Bruno")
    assert ev.doubtful_lone_name(t, s, s + 5, "de", lambda w: False)
    t = "Иванов , Пётр"  # surname, first name: not an enumeration
    s = t.index("Пётр")
    assert not ev.doubtful_lone_name(t, s, len(t), "ru", lambda w: False)


def test_frequency_evidence_is_offline_and_language_aware() -> None:
    assert ev.has_frequencies("en") and not ev.has_frequencies("sw")
    assert ev.is_common("christian", "en") and not ev.is_common("Kowalczyk", "en")
    assert ev.is_function_word("في", "ar") and not ev.is_function_word("منتخب", "ar")
    assert not ev.is_common("Umoja", "sw")  # no list for Swahili: lone first names are refused there instead


# --------------------------------------------------------------------------- precision on real PAN-X text

_BENCH = REPO / "benchmarks" / "perturb_precision.py"


def _bench():
    spec = importlib.util.spec_from_file_location("perturb_precision", _BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("lang", "family"), [("es", "names"), ("es", "locations"), ("fi", "locations")])
def test_precision_on_real_panx(lang: str, family: str) -> None:
    """The benchmark's scorer on real PAN-X dev sentences (skipped without ../shared), for pairs that meet the
    target with some margin in benchmarks/RESULTS.md (a smaller slice or a borderline pair would be flaky)."""
    bench = _bench()
    path = bench.DATA / f"dev-{lang}.tsv"
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared/realdata-dev is not part of the repository)")
    score = bench.score_sentences(bench.read_panx(path), lang, family)
    assert score.changed >= 50, score.as_dict()  # the detector still finds something
    assert score.precision >= bench.TARGETS[family], score.as_dict()


def test_benchmark_scorer_counts_tokens() -> None:
    """The scorer on a hand-made sentence (runs without ../shared)."""
    bench = _bench()
    tokens = ["Later", "John", "Smith", "flew", "to", "Japan", "."]
    tags = ["O", "B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    names = bench.score_sentences([(tokens, tags)], "en", "names")
    assert (names.changed, names.correct, names.gold) == (2, 2, 2)
    places = bench.score_sentences([(tokens, tags)], "en", "locations")
    assert (places.changed, places.correct, places.gold, places.precision) == (1, 1, 1, 1.0)
    wrong = bench.score_sentences([(tokens, ["O"] * 7)], "en", "locations")
    assert (wrong.changed, wrong.correct, wrong.precision, wrong.recall) == (1, 0, 0.0, None)
