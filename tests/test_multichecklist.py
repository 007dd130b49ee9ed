"""MultiCheckList (XTREME-R) templates: parsing, test-case generation, failure rates, bad files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from xlrobust.errors import ConfigError, DataError
from xlrobust.languages import LANGUAGES
from xlrobust.multichecklist import (
    ANIMAL,
    COMPARISON,
    TEST_SHORT_NAMES,
    available_languages,
    failure_rates,
    generate_cases,
    generate_suite,
    load_templates,
)

FIXTURE = Path(__file__).parent / "fixtures" / "multichecklist" / "checklist_templates.tsv"
REAL = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "realdata-sample"
    / "multichecklist"
    / "checklist_templates.tsv"
)
OUR_LANGUAGES = ("ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw")


@pytest.fixture(scope="module")
def templates():
    return load_templates(FIXTURE)


def _assert_valid_qa(case: dict) -> None:
    assert set(case) >= {"id", "question", "context", "answers", "test", "group"}
    assert case["question"] and "{" not in case["question"] and "{" not in case["context"]
    (answer,) = case["answers"]
    start = answer["answer_start"]
    assert answer["text"] and case["context"][start : start + len(answer["text"])] == answer["text"]


# ---------------------------------------------------------------------------------------------------- parsing


def test_fixture_parses_tests_columns_and_variants(templates):
    assert [t.name for t in templates.tests] == [
        COMPARISON,
        ANIMAL,
        "Animal vs Vehicle v2",
        "size, shape, age, color",
    ]
    assert templates.columns == ("en", "es", "ru", "ar")
    assert available_languages(templates) == ["ar", "en", "es", "ru"]  # no de/fi/... column: not available
    comparison = templates.tests[0]
    assert comparison.capability == "Vocabulary" and comparison.short_name == "comp"
    assert [a.english for a in comparison.args["adj"]] == [
        "older, old",
        "taller, tall",
        "cooler, cool",
        "nicer, nice",
    ]
    question, answer = comparison.qas[0]
    assert question.line == 5 and answer.english == "{first_name1}"
    ru = question.variants["ru"]  # two ru columns, each with its placeholders column
    assert [v.text for v in ru] == ["Кто менее {adj[1]}?", "Кто {adj[1]}?"]
    assert [v.tags for v in ru] == [frozenset({"cooler", "nicer"}), frozenset({"older", "taller"})]
    assert question.variants["ar"][0].tags is None and question.variants["ar"][0].column == 8
    assert templates.issues == ()


def test_crlf_and_lf_files_parse_the_same(tmp_path, templates):
    lf = tmp_path / "lf.tsv"
    lf.write_bytes(FIXTURE.read_bytes().replace(b"\r\n", b"\n") + b"\n")
    assert load_templates(lf).tests == templates.tests


def test_unknown_placeholder_tags_are_reported_not_fatal(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("cooler, nicer", "cooler, nicre")
    path = tmp_path / "t.tsv"
    path.write_text(text, encoding="utf-8")
    issues = load_templates(path).issues
    assert len(issues) == 1 and "line 5" in issues[0] and "'nicre'" in issues[0]


# ------------------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("lang", ["ar", "en", "es", "ru"])
def test_generated_cases_are_valid_spans_for_every_test(templates, lang):
    cases = generate_cases(templates, lang, n_per_test=6, seed=0)
    for case in cases:
        _assert_valid_qa(case)
    groups = {test: {c["group"] for c in cases if c["test"] == test} for test in {c["test"] for c in cases}}
    assert groups == {t.short_name: set(range(6)) for t in templates.tests}
    per_group = Counter((c["test"], c["group"]) for c in cases)
    # every (context, question) pair of a fill, as upstream's crossproduct: 1x2, 2x2, 2x2, 1x2
    expected = {"comp": 2, "animal_vehicle": 4, "animal_vehicle_v2": 4, "props": 2}
    assert all(per_group[key] == expected[key[0]] for key in per_group)
    assert len({c["id"] for c in cases}) == len(cases)


def test_answers_point_at_the_filled_slot_not_the_first_match(templates):
    """Two names in one context: the gold span must be the one the answer template names."""
    checked = 0
    for case in generate_cases(templates, "en", n_per_test=8, seed=3):
        if case["test"] == "animal_vehicle_v2" and case["question"] == "Who bought a vehicle?":
            answer = case["answers"][0]
            after = case["context"][answer["answer_start"] + len(answer["text"]) :]
            assert after.split(".")[0] in {" bought a car", " bought a bike", " bought a train"}
            checked += 1
    assert checked == 16


def test_answer_span_is_the_slot_even_when_its_text_occurs_earlier(tmp_path):
    rows = [
        "Field\ten",
        "Name\tAnimal vs Vehicle",
        "Capability\tTaxonomy",
        "Context\t{first_name} has a dog-like {animal} and {vehicle}.",
        "Question\tWhat animal does {first_name} have?",
        "Answer\t{animal}",
        "animal\tdog",
        "animal\tcat",
        "vehicle\tcar",
        "vehicle\tvan",
    ]
    path = tmp_path / "t.tsv"
    path.write_text("\r\n".join(rows), encoding="utf-8")
    cases = generate_cases(load_templates(path), "en", n_per_test=20, seed=0)
    dogs = [c for c in cases if c["answers"][0]["text"] == "dog"]
    assert dogs and all(c["answers"][0]["answer_start"] == c["context"].index("dog and") for c in dogs)


def test_generation_is_deterministic_and_seeded(templates):
    first = generate_cases(templates, "ru", n_per_test=5, seed=7)
    assert generate_cases(templates, "ru", n_per_test=5, seed=7) == first
    assert generate_cases(templates, "ru", n_per_test=5, seed=8) != first


def test_russian_variants_follow_their_placeholders(templates):
    cases = generate_cases(templates, "ru", n_per_test=10, seed=1)
    for case in cases:
        if case["test"] == "comp" and case["question"].startswith("Кто менее"):
            assert any(w in case["context"] for w in ("круче", "приятнее"))  # tagged cooler, nicer
        if case["test"] == "comp" and case["answers"][0]["answer_start"] > 0:  # the 'less' question
            assert case["question"] in {
                "Кто моложе?",
                "Кто ниже?",
                "Кто менее крутой?",
                "Кто менее приятный?",
            }
        if case["test"] == "animal_vehicle" and case["question"].startswith("Какое"):
            assert case["answers"][0]["text"] in {
                "собака",
                "кошка",
                "корова",
                "утка",
            }  # nominative after 'есть'
        if case["test"] == "animal_vehicle_v2":
            assert not any(w in case["context"] for w in ("собака", "кошка", "корова", "утка", "машина"))
            assert any(w in case["context"] for w in ("собаку", "кошку", "корову", "утку"))  # accusative


def test_properties_agree_with_the_object_and_skip_mislabelled_questions(templates):
    cases = [c for c in generate_cases(templates, "ru", n_per_test=4, seed=2) if c["test"] == "props"]
    assert cases
    for case in cases:
        attributes = case["context"].split(". ")[1]
        ending = ("ая", "яя") if "лампа" in case["context"] else ("ый", "ий", "ой")
        assert all(word.rstrip(".").endswith(ending) for word in attributes.split()[1:] if word != "и")
        # the second ru question variant names p.p1 in the p2 question (like de in the real file): never used
        assert not case["question"].startswith("Какой ")
    second = [c for c in cases if c["question"].startswith("Из какого материала")]
    assert second and all(c["answers"][0]["text"].endswith(("ый", "ая")) for c in second)


def test_arabic_list_values_split_on_arabic_comma(templates):
    cases = [c for c in generate_cases(templates, "ar", n_per_test=4, seed=0) if c["test"] == "comp"]
    questions = {c["question"] for c in cases}
    assert questions and all("  " not in q and "،" not in q for q in questions)
    assert questions & {"مَن أقل كبير؟", "مَن أقل طويل؟", "مَن أقل رائع؟", "مَن أقل لطيف؟"}


def test_unavailable_or_unknown_language_is_an_error(templates):
    with pytest.raises(DataError, match="no column 'de'"):
        generate_cases(templates, "de", n_per_test=2, seed=0)
    with pytest.raises(ConfigError, match="unknown language"):
        generate_cases(templates, "xx", n_per_test=2, seed=0)
    with pytest.raises(DataError, match="n_per_test"):
        generate_cases(templates, "en", n_per_test=0, seed=0)


def test_unknown_fill_in_names_its_cell(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("¿Quién es {adj[0]}?", "¿Quién es {adjx[0]}?"),
        encoding="utf-8",
    )
    templates = load_templates(path)
    generate_cases(templates, "en", n_per_test=1, seed=0)  # only the es cell is broken
    with pytest.raises(DataError, match=r"t\.tsv: line 7, column 3: fill-in \{adjx\[0\]\}"):
        generate_cases(templates, "es", n_per_test=1, seed=0)


def test_a_test_without_any_valid_case_is_skipped_for_that_language_with_its_reason(tmp_path, caplog):
    # the real file's th/my COMP (and tl's Animal vs Vehicle v2) cells never fit together; here the es COMP
    # answer is a word its context never contains, so no fill yields a locatable answer
    text = FIXTURE.read_text(encoding="utf-8")
    broken = text.replace("Answer\t{first_name1}\t{first_name1}\t", "Answer\t{first_name1}\tnadie\t", 1)
    assert broken != text
    path = tmp_path / "t.tsv"
    path.write_text(broken, encoding="utf-8")
    templates = load_templates(path)
    with caplog.at_level("WARNING", logger="xlrobust.multichecklist.generation"):
        suite = generate_suite(templates, "es", n_per_test=3, seed=0)
    assert set(suite.skipped) == {"comp"}
    assert "line 2" in suite.skipped["comp"] and "'es'" in suite.skipped["comp"]
    assert "comp skipped for es" in caplog.text
    assert {c["test"] for c in suite.cases} == {"animal_vehicle", "animal_vehicle_v2", "props"}
    assert generate_cases(templates, "es", n_per_test=3, seed=0) == suite.cases
    assert generate_suite(templates, "en", n_per_test=3, seed=0).skipped == {}  # other columns unaffected


@pytest.mark.skipif(not REAL.exists(), reason="../shared/realdata-sample is absent")
def test_real_file_skips_the_tests_th_my_tl_cannot_fill():
    templates = load_templates(REAL)
    for lang, test in (("th", "comp"), ("my", "comp"), ("tl", "animal_vehicle_v2")):
        suite = generate_suite(templates, lang, n_per_test=2, seed=0)
        assert test in suite.skipped, lang
        assert suite.cases and {c["test"] for c in suite.cases}.isdisjoint(suite.skipped)
        for case in suite.cases:
            _assert_valid_qa(case)


# ---------------------------------------------------------------------------------------------------- scoring


def _case(test: str, group: int, answer: str) -> dict:
    context = f"Context with {answer} inside."
    return {
        "id": f"{test}-{group}-{answer}",
        "question": "q?",
        "context": context,
        "answers": [{"text": answer, "answer_start": context.index(answer)}],
        "test": test,
        "group": group,
    }


def test_failure_rates_on_hand_made_predictions():
    cases = [
        _case("comp", 0, "Keith"),
        _case("comp", 0, "Daniel"),
        _case("comp", 1, "Anna"),
        _case("comp", 1, "Maria"),
        _case("animal_vehicle", 0, "a dog"),
        _case("animal_vehicle", 1, "un perro"),
        _case("animal_vehicle", 2, "собака"),
    ]
    predictions = [
        "keith.",  # SQuAD normalisation: case and ASCII punctuation ignored -> pass
        "Keith",  # wrong name -> fail (group 0 fails)
        "Anna",
        "Maria",  # group 1 passes
        "the dog",  # English article dropped -> pass
        "perro",  # SQuAD drops only English articles: 'un perro' != 'perro' -> fail
        "Собака",  # lower-cased -> pass
    ]
    rates = failure_rates(cases, predictions, "en")
    assert rates == {
        "animal_vehicle": {
            "n": 3,
            "failures": 1,
            "failure_rate": 1 / 3,
            "n_groups": 3,
            "group_failures": 1,
            "group_failure_rate": 1 / 3,
        },
        "comp": {
            "n": 4,
            "failures": 1,
            "failure_rate": 0.25,
            "n_groups": 2,
            "group_failures": 1,
            "group_failure_rate": 0.5,
        },
    }
    # MLQA's normalisation drops Spanish articles (but not English ones when lang is es)
    unicode = failure_rates(cases[4:6], predictions[4:6], "es", normalization="unicode")
    assert (
        unicode["animal_vehicle"]["failures"] == 1
        and failure_rates(cases[5:6], predictions[5:6], "es", normalization="unicode")["animal_vehicle"][
            "failures"
        ]
        == 0
    )


def test_failure_rates_on_generated_cases(templates):
    cases = generate_cases(templates, "es", n_per_test=3, seed=0)
    golds = [c["answers"][0]["text"] for c in cases]
    assert all(r["failure_rate"] == 0.0 for r in failure_rates(cases, golds, "es").values())
    wrong = failure_rates(cases, ["nada"] * len(cases), "es")
    assert set(wrong) == set(TEST_SHORT_NAMES[t.name] for t in templates.tests)
    assert all(r["failure_rate"] == 1.0 and r["group_failure_rate"] == 1.0 for r in wrong.values())


def test_failure_rates_rejects_misaligned_input():
    with pytest.raises(DataError, match="2 predictions for 1 cases"):
        failure_rates([_case("comp", 0, "Anna")], ["Anna", "Maria"], "en")
    with pytest.raises(DataError, match="prediction 0 is NoneType"):
        failure_rates([_case("comp", 0, "Anna")], [None], "en")
    with pytest.raises(DataError, match="lacks 'test'"):
        failure_rates([{"id": "x", "answers": []}], ["a"], "en")


# ------------------------------------------------------------------------------------------------- bad files


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "bad.tsv"
    path.write_bytes(data)
    return path


def test_missing_english_column_is_an_error(tmp_path):
    lines = FIXTURE.read_bytes().split(b"\r\n")
    cut = [b"\t".join(line.split(b"\t")[:1] + line.split(b"\t")[2:]) for line in lines]  # drop column 2 (en)
    with pytest.raises(DataError, match=r"bad\.tsv: line 1: no 'en' column"):
        load_templates(_write(tmp_path, b"\r\n".join(cut)))


def test_placeholders_column_must_follow_its_language(tmp_path):
    data = FIXTURE.read_bytes().replace(
        b"Field\ten\tes\tru\tru-placeholders", b"Field\ten\tes\tru\tes-placeholders", 1
    )
    with pytest.raises(
        DataError, match=r"bad\.tsv: line 1, column 5: 'es-placeholders' must directly follow"
    ):
        load_templates(_write(tmp_path, data))


def test_ragged_row_names_file_and_line(tmp_path):
    lines = FIXTURE.read_bytes().split(b"\r\n")
    lines[8] = lines[8].rsplit(b"\t", 1)[0]  # line 9 loses its last cell
    with pytest.raises(DataError, match=r"bad\.tsv: line 9: 7 tab-separated fields but the header has 8"):
        load_templates(_write(tmp_path, b"\r\n".join(lines)))


def test_invalid_utf8_names_file_line_and_column(tmp_path):
    lines = FIXTURE.read_bytes().split(b"\r\n")
    lines[4] = lines[4].replace("Кто".encode(), b"\xff\xfe", 1)
    with pytest.raises(DataError, match=r"bad\.tsv: line 5, column 4: byte 0xff is not valid UTF-8"):
        load_templates(_write(tmp_path, b"\r\n".join(lines)))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"Answer\t{first_name1}", b"Context\t{first_name1}", r"line 7: two Question rows in a row"),
        (b"Name\tA is COMP", b"Nome\tA is COMP", r"line 2: 'Nome' row before any 'Name' row"),
        (b"adj\tolder, old", b"adj\t", r"line 9, column 2 \(en\): empty English cell"),
        (b"Field\t", b"Feld\t", r"line 1, column 1: expected the header 'Field'"),
    ],
)
def test_structural_errors_name_the_line(tmp_path, old, new, message):
    data = FIXTURE.read_bytes()
    assert old in data
    with pytest.raises(DataError, match=message):
        load_templates(_write(tmp_path, data.replace(old, new, 1)))


# ------------------------------------------------------------------------------------------------- real file


@pytest.mark.skipif(not REAL.exists(), reason="../shared/realdata-sample is absent")
def test_real_file_yields_all_six_tests_for_our_languages():
    templates = load_templates(REAL)
    assert len(templates.tests) == 6 and len(templates.columns) == 50
    langs = available_languages(templates)
    assert set(OUR_LANGUAGES) - {"sw"} <= set(langs) <= set(LANGUAGES)
    for lang in sorted(set(langs) & set(OUR_LANGUAGES)):
        cases = generate_cases(templates, lang, n_per_test=4, seed=0)
        assert {c["test"] for c in cases} == set(TEST_SHORT_NAMES.values()), lang
        for case in cases:
            _assert_valid_qa(case)
