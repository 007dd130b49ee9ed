"""Small multilingual sample sentences for tokenizer and pre-training tests."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable

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


def make_corpus(n_per_lang: int, seed: int = 0, langs: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``n_per_lang`` distinct subject-verb-object-place sentences per language (all of WORDS by default)."""
    out = {}
    for lang in sorted(langs or WORDS):
        combos = list(itertools.product(*WORDS[lang]))
        end = "।" if lang in ("hi", "bn") else "."
        out[lang] = [" ".join(c) + end for c in random.Random(f"{seed}-{lang}").sample(combos, n_per_lang)]
    return out
