"""One test per validation error: each names the file, the line / row / JSON path and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlrobust.errors import DataError
from xlrobust.sources import load_split, validate_examples


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="")
    return path


def xtreme(root: Path, task: str, lang: str, split: str):
    return load_split("xtreme", task, lang, split, path=str(root))


NLI = {"id": "a", "premise": "The cat sat.", "hypothesis": "A cat sat.", "label": "entailment"}
NER = {"id": "a", "tokens": ["Ada", "Lovelace"], "tags": ["B-PER", "I-PER"]}
QA = {
    "id": "a",
    "question": "Who came?",
    "context": "Ana came home.",
    "answers": [{"text": "Ana", "answer_start": 0}],
}


def test_valid_examples_pass() -> None:
    validate_examples("xnli", [NLI], "x.jsonl")
    validate_examples("panx", [NER], "x.jsonl")
    validate_examples("tydiqa", [QA], "x.jsonl")


def test_unknown_nli_label(tmp_path: Path) -> None:
    write(
        tmp_path / "xnli" / "dev-en.tsv",
        "A man sleeps.\tA man rests.\tentailment\r\nA man sleeps.\tA man runs.\tcontradictory\r\n",
    )
    with pytest.raises(
        DataError,
        match=r"dev-en.tsv: line 2: field 'label': unknown label 'contradictory'; "
        r"expected one of entailment, neutral, contradiction",
    ):
        xtreme(tmp_path, "xnli", "en", "dev")


def test_unknown_ner_tag(tmp_path: Path) -> None:
    write(tmp_path / "panx" / "dev-en.tsv", "Ada\tB-PER\n\nParis\tB-MISC\n")
    with pytest.raises(
        DataError,
        match=r"dev-en.tsv: sentence at line 3: field 'tags': token 0 \('Paris'\): "
        r"unknown tag 'B-MISC'",
    ):
        xtreme(tmp_path, "panx", "en", "dev")


def test_bio_inconsistency(tmp_path: Path) -> None:
    write(tmp_path / "panx" / "dev-en.tsv", "Ada\tB-PER\nLovelace\tI-PER\n\nin\tO\nParis\tI-LOC\n")
    with pytest.raises(
        DataError,
        match=r"sentence at line 4: field 'tags': token 1 \('Paris'\): BIO inconsistency, "
        r"'I-LOC' follows 'O'",
    ):
        xtreme(tmp_path, "panx", "en", "dev")


def test_bio_type_change_is_inconsistent() -> None:
    bad = {**NER, "tags": ["B-PER", "I-ORG"]}
    with pytest.raises(
        DataError,
        match=r"record 1: field 'tags': token 1 \('Lovelace'\): BIO inconsistency, "
        r"'I-ORG' follows 'B-PER'",
    ):
        validate_examples("panx", [bad], "x.jsonl")


def test_tokens_tags_length_mismatch() -> None:
    with pytest.raises(DataError, match=r"x.jsonl: line 7: field 'tags': 1 tags for 2 tokens"):
        validate_examples("panx", [{**NER, "tags": ["B-PER"]}], "x.jsonl", locations=["line 7"])


def test_answer_start_not_at_answer_text(tmp_path: Path) -> None:
    doc = {
        "version": "TyDiQA-GoldP-1.1-for-SQuAD-1.1",
        "data": [
            {
                "paragraphs": [
                    {
                        "context": "Ana came home.",
                        "qas": [
                            {
                                "id": "english-1-0",
                                "question": "Who came?",
                                "answers": [{"text": "home", "answer_start": 3}],
                            }
                        ],
                    }
                ]
            }
        ],
    }
    write(tmp_path / "tydiqa" / "tydiqa-goldp-v1.1-dev" / "tydiqa.goldp.en.dev.json", json.dumps(doc))
    with pytest.raises(
        DataError,
        match=r"tydiqa.goldp.en.dev.json: data\[0\].paragraphs\[0\].qas\[0\] "
        r"\(id 'english-1-0'\): field 'answers\[0\].answer_start': context\[3:7\] is "
        r"' cam', not the answer text 'home'; the text occurs at offset 9",
    ):
        xtreme(tmp_path, "tydiqa", "en", "dev")


def test_empty_text_in_eval_split(tmp_path: Path) -> None:
    write(
        tmp_path / "xnli" / "dev-en.tsv",
        "A man sleeps.\tA man rests.\tentailment\r\n \tA man runs.\tneutral\r\n",
    )
    with pytest.raises(DataError, match=r"dev-en.tsv: line 2: field 'premise': empty text"):
        xtreme(tmp_path, "xnli", "en", "dev")


def test_empty_token(tmp_path: Path) -> None:
    write(tmp_path / "panx" / "dev-en.tsv", "Ada\tB-PER\n \tO\n")
    with pytest.raises(DataError, match=r"sentence at line 1: field 'tokens': token 1 is ''"):
        xtreme(tmp_path, "panx", "en", "dev")


def test_empty_token_list() -> None:
    with pytest.raises(DataError, match=r"record 1: field 'tokens': expected a non-empty list"):
        validate_examples("panx", [{"id": "a", "tokens": [], "tags": []}], "x.jsonl")


def test_train_split_drops_empty_text_and_counts_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write(
        tmp_path / "xnli" / "train-en.tsv",
        "A man sleeps.\tA man rests.\tentailment\r\nA man sleeps.\t\tneutral\r\nA dog barks.\tIt is loud.\tneutral\r\n",
    )
    data = xtreme(tmp_path, "xnli", "en", "train")
    assert data is not None and data.read == 3 and data.dropped == 1
    assert [ex["id"] for ex in data.examples] == ["train-000000", "train-000002"]
    assert "dropped 1 train record(s) with empty text: line 2 (hypothesis)" in caplog.text


def test_duplicate_ids() -> None:
    with pytest.raises(DataError, match=r"x.jsonl: line 2: field 'id': duplicate id 'a' \(first at line 1\)"):
        validate_examples("xnli", [NLI, NLI], "x.jsonl", locations=["line 1", "line 2"])


def test_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    write(
        tmp_path / "xnli" / "dev-en.tsv",
        b"A man sleeps.\tA man rests.\tentailment\r\nA caf\xe9.\tA bar.\tneutral\r\n",
    )
    with pytest.raises(
        DataError, match=r"dev-en.tsv: line 2: not valid UTF-8 \(byte 0xe9 at byte 6 of the line"
    ):
        xtreme(tmp_path, "xnli", "en", "dev")


def test_invalid_utf8_in_jsonl(tmp_path: Path) -> None:
    write(tmp_path / "panx" / "dev-de.jsonl", b'{"id": "a", "tokens": ["K\xf6ln"], "tags": ["B-LOC"]}\n')
    with pytest.raises(
        DataError,
        match=r"dev-de.jsonl: line 1: not valid UTF-8 \(byte 0xf6 at byte 26 of the line, offset 25",
    ):
        load_split("jsonl", "panx", "de", "dev", path=str(tmp_path))


def test_wrong_number_of_tsv_columns(tmp_path: Path) -> None:
    write(
        tmp_path / "xnli" / "dev-en.tsv",
        "A man sleeps.\tA man rests.\tentailment\r\nA man sleeps.\tneutral\textra\tx\r\n",
    )
    with pytest.raises(DataError, match=r"dev-en.tsv: line 2: expected 3 tab-separated columns .* found 4"):
        xtreme(tmp_path, "xnli", "en", "dev")


def test_panx_three_columns(tmp_path: Path) -> None:
    write(tmp_path / "panx" / "dev-en.tsv", "Ada\tB-PER\nLovelace\tI-PER\tx\n")
    with pytest.raises(DataError, match=r"dev-en.tsv: line 2: expected 'token \\t tag'.*found 3"):
        xtreme(tmp_path, "panx", "en", "dev")


def test_panx_tag_missing_on_one_line(tmp_path: Path) -> None:
    write(tmp_path / "panx" / "dev-en.tsv", "Ada\tB-PER\nLovelace\n")
    with pytest.raises(DataError, match=r"dev-en.tsv: line 2: 1 column\(s\) where line 1 has 2"):
        xtreme(tmp_path, "panx", "en", "dev")


def test_bad_tsv_quoting(tmp_path: Path) -> None:
    write(tmp_path / "xnli" / "dev-en.tsv", '"A man "sleeps.\tA man rests.\tentailment\r\n')
    with pytest.raises(DataError, match=r"dev-en.tsv: line 1: malformed TSV"):
        xtreme(tmp_path, "xnli", "en", "dev")


def test_bad_json_line(tmp_path: Path) -> None:
    write(tmp_path / "xnli" / "dev-en.jsonl", json.dumps(NLI) + "\n" + '{"id": "b", "premise": "x",\n')
    with pytest.raises(DataError, match=r"dev-en.jsonl: line 2: malformed JSON at column"):
        load_split("jsonl", "xnli", "en", "dev", path=str(tmp_path))


def test_bad_json_file(tmp_path: Path) -> None:
    write(
        tmp_path / "tydiqa" / "tydiqa-goldp-v1.1-dev" / "tydiqa.goldp.sw.dev.json",
        '{"data": [\n  {"paragraphs": }]}',
    )
    with pytest.raises(DataError, match=r"tydiqa.goldp.sw.dev.json: line 2 column 18: malformed JSON"):
        xtreme(tmp_path, "tydiqa", "sw", "dev")


def test_squad_structure_missing_field(tmp_path: Path) -> None:
    doc = {
        "data": [{"paragraphs": [{"context": "Ana came.", "qas": [{"id": "swahili-1-0", "answers": []}]}]}]
    }
    write(tmp_path / "tydiqa" / "tydiqa-goldp-v1.1-dev" / "tydiqa.goldp.sw.dev.json", json.dumps(doc))
    with pytest.raises(DataError, match=r"data\[0\].paragraphs\[0\].qas\[0\]: field 'question' missing"):
        xtreme(tmp_path, "tydiqa", "sw", "dev")


def test_empty_answer_in_labelled_split() -> None:
    second = {**QA, "id": "b", "answers": [{"text": "", "answer_start": 0}]}
    with pytest.raises(DataError, match=r"record 2: field 'answers\[0\].text': empty answer text"):
        validate_examples("tydiqa", [QA, second], "x.json")


def test_unknown_and_missing_fields() -> None:
    with pytest.raises(
        DataError,
        match=r"record 1: field 'lable': unknown field \(a xnli record has id, premise, "
        r"hypothesis, label\)",
    ):
        validate_examples("xnli", [{**NLI, "lable": "neutral"}], "x.jsonl")
    with pytest.raises(DataError, match=r"record 1: field 'context': missing"):
        validate_examples("tydiqa", [{k: v for k, v in QA.items() if k != "context"}], "x.jsonl")


def test_empty_file(tmp_path: Path) -> None:
    write(tmp_path / "xnli" / "dev-en.tsv", "")
    with pytest.raises(DataError, match=r"dev-en.tsv: no records"):
        xtreme(tmp_path, "xnli", "en", "dev")
