"""The shared SentencePiece tokenizer: mT5 ids and sentinels, all scripts covered, loadable, deterministic."""

from __future__ import annotations

import itertools
import logging
import random

import pytest
from transformers import AutoTokenizer, T5Tokenizer

from xlrobust.errors import ConfigError, DataError
from xlrobust.tokenizer import NUM_SENTINELS, SPIECE_NAME, sentinel_token, train_tokenizer

# subject, verb, object, place: small grammars in five scripts (Latin, Cyrillic, Devanagari, Bengali, Arabic)
WORDS = {
    "en": (
        ["The teacher", "My brother", "A farmer", "The doctor", "Our neighbour", "The child"],
        ["buys", "sees", "cooks", "sells", "carries", "finds"],
        ["fresh bread", "a red bicycle", "three books", "the old radio", "sweet mangoes", "a small boat"],
        ["at the market", "near the river", "in the village", "after school", "every morning"],
    ),
    "de": (
        ["Der Lehrer", "Mein Bruder", "Ein Bauer", "Die Ärztin", "Unser Nachbar", "Das Kind"],
        ["kauft", "sieht", "kocht", "verkauft", "trägt", "findet"],
        ["frisches Brot", "ein rotes Fahrrad", "drei Bücher", "das alte Radio", "süße Mangos", "ein Boot"],
        ["auf dem Markt", "am Fluss", "im Dorf", "nach der Schule", "jeden Morgen"],
    ),
    "ru": (
        ["Учитель", "Мой брат", "Фермер", "Врач", "Наш сосед", "Ребёнок"],
        ["покупает", "видит", "готовит", "продаёт", "несёт", "находит"],
        ["свежий хлеб", "красный велосипед", "три книги", "старое радио", "сладкие манго", "лодку"],
        ["на рынке", "у реки", "в деревне", "после школы", "каждое утро"],
    ),
    "hi": (
        ["अध्यापक", "मेरा भाई", "एक किसान", "डॉक्टर", "हमारा पड़ोसी", "बच्चा"],
        ["खरीदता है", "देखता है", "पकाता है", "बेचता है", "ले जाता है", "ढूँढता है"],
        ["ताज़ी रोटी", "लाल साइकिल", "तीन किताबें", "पुराना रेडियो", "मीठे आम", "छोटी नाव"],
        ["बाज़ार में", "नदी के पास", "गाँव में", "स्कूल के बाद", "हर सुबह"],
    ),
    "bn": (
        ["শিক্ষক", "আমার ভাই", "একজন কৃষক", "ডাক্তার", "আমাদের প্রতিবেশী", "শিশুটি"],
        ["কেনে", "দেখে", "রান্না করে", "বিক্রি করে", "বহন করে", "খুঁজে পায়"],
        ["তাজা রুটি", "লাল সাইকেল", "তিনটি বই", "পুরনো রেডিও", "মিষ্টি আম", "ছোট নৌকা"],
        ["বাজারে", "নদীর কাছে", "গ্রামে", "স্কুলের পরে", "প্রতি সকালে"],
    ),
    "ar": (
        ["المعلم", "أخي", "مزارع", "الطبيبة", "جارنا", "الطفل"],
        ["يشتري", "يرى", "يطبخ", "يبيع", "يحمل", "يجد"],
        ["خبزا طازجا", "دراجة حمراء", "ثلاثة كتب", "الراديو القديم", "مانجو حلوة", "قاربا صغيرا"],
        ["في السوق", "قرب النهر", "في القرية", "بعد المدرسة", "كل صباح"],
    ),
}


def make_corpus(n_per_lang: int, seed: int = 0) -> dict[str, list[str]]:
    out = {}
    for lang, slots in sorted(WORDS.items()):
        combos = list(itertools.product(*slots))
        end = "।" if lang in ("hi", "bn") else "."
        out[lang] = [" ".join(c) + end for c in random.Random(f"{seed}-{lang}").sample(combos, n_per_lang)]
    return out


@pytest.fixture(scope="module")
def tok_dir(tmp_path_factory):
    return train_tokenizer(
        make_corpus(120), tmp_path_factory.mktemp("tok") / "tokenizer", vocab_size=700, seed=0
    )


@pytest.fixture(scope="module")
def tok(tok_dir):
    return AutoTokenizer.from_pretrained(str(tok_dir))


def test_saved_files(tok_dir):
    assert {SPIECE_NAME, "tokenizer.json", "tokenizer_config.json"} <= {p.name for p in tok_dir.iterdir()}
    assert not [p for p in tok_dir.parent.iterdir() if p.name.startswith(".")]  # no temp dir left behind


def test_round_trip_all_scripts_without_unk(tok):
    held_out = make_corpus(30, seed=7)
    for lang, sentences in held_out.items():
        for s in sentences:
            ids = tok(s).input_ids
            assert tok.unk_token_id not in ids, (lang, s, tok.convert_ids_to_tokens(ids))
            assert ids[-1] == tok.eos_token_id
            assert tok.decode(ids, skip_special_tokens=True) == s


def test_mt5_ids_and_sentinels(tok):
    assert (tok.pad_token_id, tok.eos_token_id, tok.unk_token_id) == (0, 1, 2)
    assert tok.convert_ids_to_tokens([0, 1, 2]) == ["<pad>", "</s>", "<unk>"]
    ids = tok.convert_tokens_to_ids([sentinel_token(i) for i in range(NUM_SENTINELS)])
    assert ids == list(
        range(len(tok) - 1, len(tok) - 1 - NUM_SENTINELS, -1)
    )  # <extra_id_0> on top, descending
    enc = tok("Das Kind <extra_id_0> am Fluss <extra_id_1>", add_special_tokens=False).input_ids
    assert ids[0] in enc and ids[1] in enc and enc.index(ids[0]) < enc.index(ids[1])


def test_byte_fallback_for_unseen_characters(tok):
    text = "Zoë 漢字 😀"
    ids = tok(text).input_ids
    assert tok.unk_token_id not in ids
    assert tok.decode(ids, skip_special_tokens=True) == text


def test_t5tokenizer_loads_same_ids(tok_dir, tok):
    """T5Tokenizer gives identical ids, except that it has no byte fallback (rare characters become <unk>)."""
    t5 = T5Tokenizer.from_pretrained(str(tok_dir))
    assert len(t5) == len(tok)
    assert t5.convert_tokens_to_ids(sentinel_token(0)) == len(tok) - 1
    compared = 0
    for sentences in make_corpus(10, seed=3).values():
        for s in sentences:
            if any(t.startswith("<0x") for t in tok.tokenize(s)):
                assert t5.unk_token_id in t5(s).input_ids
            else:
                assert t5(s).input_ids == tok(s).input_ids
                compared += 1
    assert compared >= 40


def test_deterministic(tmp_path):
    corpus = make_corpus(60)
    a = train_tokenizer(corpus, tmp_path / "a", vocab_size=600, seed=1)
    b = train_tokenizer(corpus, tmp_path / "b", vocab_size=600, seed=1)
    assert (a / SPIECE_NAME).read_bytes() == (b / SPIECE_NAME).read_bytes()
    assert (a / "tokenizer.json").read_text() == (b / "tokenizer.json").read_text()


def test_languages_are_balanced(tmp_path):
    """A language with few sentences is upsampled, so its script gets real pieces, not byte fallback."""
    corpus = make_corpus(150)
    corpus["bn"] = corpus["bn"][:4]
    tok = AutoTokenizer.from_pretrained(str(train_tokenizer(corpus, tmp_path / "t", vocab_size=800, seed=0)))
    bytes_used = [t for s in corpus["bn"] for t in tok.tokenize(s) if t.startswith("<0x")]
    assert bytes_used == []


def test_vocab_too_large_is_capped(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="xlrobust.tokenizer"):
        out = train_tokenizer(make_corpus(10), tmp_path / "t", vocab_size=5000, seed=0)
    tok = AutoTokenizer.from_pretrained(str(out))
    assert len(tok) - NUM_SENTINELS < 5000
    assert "capped" in caplog.text


def test_vocab_too_small_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="at least"):
        train_tokenizer(make_corpus(20), tmp_path / "t", vocab_size=320, seed=0)


def test_empty_language_is_data_error(tmp_path):
    with pytest.raises(DataError, match="'sw'"):
        train_tokenizer({"en": ["a b c"], "sw": ["  ", ""]}, tmp_path / "t", vocab_size=400)
