"""Organisation, facility and title head words: evidence that a person or place name found in raw text is only
part of the name of something else ("Lakshmi Narayan *Temple*", "*University* of ... East Java", "Elisa *Oyj*",
"*List* of international schools in India"), used by ``evidence.glued`` (issue #15; precision over recall).

A head word is the noun that makes a name the name of an organisation, building, event or work rather than of
a person or a place. :data:`ORG_HEADS` lists, per project language, the common heads of such names, grouped
by kind (lists, education, worship, buildings, economy, politics, sport, culture, military, bodies); the
lists are written from general knowledge of the languages (nominative singular and, where the head is often
plural in titles, plural forms; Arabic without the article, which :func:`is_head` strips). Geographic heads
(river, mountain, province, district) are *not* heads: "the Rhine river" is a place. :data:`LEGAL_FORMS` are
company legal-form abbreviations (Oy, GmbH, Ltd, PT, ООО), language-independent.

Rules (:func:`in_named_phrase`), applied to every person and place match:

* **cased scripts**: the match is inside a name headed by a head word when a *capitalised* head (or a legal
  form) is reached from it by walking over the same name, i.e. over capitalised words, numbers, quote marks,
  an abbreviation's dot and function words, up to :data:`WALK` tokens either way: "Misi Perserikatan
  Bangsa-Bangsa di Bosnia dan Herzegovina", "PT. Hutchison 3 Indonesia", "Universitas ... `` Veteran '' Jawa
  Timur", "Elisa Oyj". A lowercase head is not part of a name ("the embassy in Paris": Paris is the place);
* **caseless scripts**, head-initial (Arabic): a head among the :data:`WALK` words before the match in the same
  clause ("قائمة المدارس الدولية في الهند", list of international schools in India); head-final (Hindi,
  Bengali): a head among the words after the match when the match is followed by a genitive postposition
  (:data:`HEAD_FINAL_GENITIVES`: "मध्य प्रदेश के मुख्यमन्त्रियों की सूची", list of chief ministers of Madhya
  Pradesh), or right next to it ("लक्ष्मी नारायण मंदिर", Lakshmi Narayan temple);
* **any script**: a match right after "<head> ," is the disambiguator of a title ("Laxmi Narayan Temple,
  Delhi", "श्री मरिअम्मन मंदिर , सिंगापुर").
"""

from __future__ import annotations

import itertools

import regex

WALK = 8  # tokens walked from a match in search of its head (a long title: "भारत के सर्वाधिक ... की सूची")
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+(?:-[\p{L}\p{M}\u200c\u200d]+)*|\p{N}+|[^\s\p{L}\p{N}]")
QUOTES = frozenset("\"'`“”„‟«»‹›‘’")
LEGAL_FORMS = frozenset(
    {
        "Inc",
        "Ltd",
        "LLC",
        "PLC",
        "plc",
        "Corp",
        "GmbH",
        "AG",
        "KG",
        "SE",
        "SA",
        "SpA",
        "NV",
        "BV",
        "Oy",
        "Oyj",
    }
    | {"AB", "ASA", "PT", "Tbk", "CV", "ООО", "ОАО", "ЗАО", "ПАО", "АО"}
)
HEAD_FINAL_GENITIVES: dict[str, frozenset[str]] = {
    "hi": frozenset({"का", "के", "की"}),
    "bn": frozenset({"এর", "র"}),
}
HEAD_FINAL = frozenset(HEAD_FINAL_GENITIVES)
_ARABIC_PREFIXES = ("وال", "بال", "لل", "فال", "ال")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ORG_HEADS: dict[str, frozenset[str]] = {
    "en": _words(
        "list lists university universities college school schools academy institute temple church cathedral "
        "mosque monastery abbey palace castle museum library hospital stadium airport station railway bank "
        "company corporation party council parliament assembly ministry embassy mission club team association "
        "union federation league cup championship festival award prize constituency army navy airlines "
        "airways agency committee organization organisation foundation society hotel"
    ),
    "es": _words(
        "lista anexo universidad colegio escuela academia instituto templo iglesia catedral mezquita "
        "monasterio palacio castillo museo biblioteca hospital estadio aeropuerto estación ferrocarril banco "
        "compañía empresa corporación partido consejo parlamento asamblea ministerio embajada misión club "
        "equipo selección asociación unión federación liga copa campeonato festival premio circunscripción "
        "ejército armada aerolíneas agencia comité organización fundación sociedad hotel"
    ),
    "de": _words(
        "liste universität hochschule schule gymnasium akademie institut tempel kirche dom kathedrale moschee "
        "kloster abtei palast schloss burg museum bibliothek krankenhaus stadion flughafen bahnhof eisenbahn "
        "bank gesellschaft unternehmen konzern partei rat parlament ministerium botschaft mission verein klub "
        "club mannschaft nationalmannschaft verband union liga pokal meisterschaft festival preis wahlkreis "
        "armee marine fluggesellschaft agentur ausschuss komitee organisation stiftung hotel"
    ),
    "fi": _words(
        "luettelo lista yliopisto korkeakoulu koulu lukio akatemia instituutti temppeli kirkko katedraali "
        "moskeija luostari palatsi linna museo kirjasto sairaala stadion lentoasema lentokenttä asema rautatie "
        "pankki yhtiö osakeyhtiö konserni puolue neuvosto eduskunta parlamentti ministeriö suurlähetystö seura "
        "joukkue maajoukkue liitto yhdistys unioni liiga mestaruus festivaali palkinto vaalipiiri armeija "
        "laivasto virasto komitea järjestö säätiö hotelli"
    ),
    "id": _words(
        "daftar universitas institut sekolah akademi kuil pura candi gereja katedral masjid biara istana "
        "kastil benteng museum perpustakaan stadion bandara stasiun bank perusahaan partai dewan parlemen "
        "majelis kementerian kedutaan misi klub tim timnas asosiasi persatuan perserikatan federasi liga "
        "piala kejuaraan festival penghargaan tentara angkatan maskapai badan komite organisasi yayasan "
        "lembaga hotel"
    ),
    "ru": _words(
        "список университет институт школа академия колледж храм церковь собор мечеть монастырь дворец замок "
        "крепость музей библиотека больница стадион аэропорт вокзал станция банк компания корпорация партия "
        "совет парламент министерство посольство миссия клуб команда сборная ассоциация союз федерация лига "
        "кубок чемпионат фестиваль премия армия флот авиакомпания агентство комитет организация фонд "
        "общество гостиница отель"
    ),
    "ar": _words(
        "قائمة جامعة كلية مدرسة مدارس معهد أكاديمية معبد كنيسة كاتدرائية مسجد جامع دير قصر قلعة متحف مكتبة "
        "مستشفى ملعب استاد مطار محطة بنك مصرف شركة حزب مجلس برلمان وزارة سفارة بعثة نادي فريق منتخب جمعية "
        "اتحاد رابطة دوري كأس بطولة مهرجان جائزة دائرة جيش خطوط وكالة لجنة منظمة مؤسسة هيئة فندق"
    ),
    "hi": _words(
        "सूची विश्वविद्यालय महाविद्यालय कॉलेज विद्यालय स्कूल संस्थान अकादमी मंदिर मन्दिर गिरजाघर चर्च मस्जिद मठ "
        "महल किला संग्रहालय पुस्तकालय अस्पताल स्टेडियम हवाईअड्डा स्टेशन रेलवे बैंक कंपनी कम्पनी निगम पार्टी "
        "परिषद संसद विधानसभा मंत्रालय मन्त्रालय दूतावास मिशन क्लब टीम संघ महासंघ लीग कप महोत्सव पुरस्कार सेना "
        "नौसेना एयरलाइंस एजेंसी समिति संगठन संस्था होटल"
    ),
    "bn": _words(
        "তালিকা বিশ্ববিদ্যালয় মহাবিদ্যালয় কলেজ বিদ্যালয় স্কুল ইনস্টিটিউট একাডেমি মন্দির গির্জা মসজিদ মঠ "
        "প্রাসাদ দুর্গ জাদুঘর গ্রন্থাগার হাসপাতাল স্টেডিয়াম বিমানবন্দর স্টেশন রেলওয়ে ব্যাংক কোম্পানি পার্টি "
        "পরিষদ সংসদ মন্ত্রণালয় দূতাবাস মিশন ক্লাব সংঘ লীগ কাপ উৎসব পুরস্কার সেনাবাহিনী নৌবাহিনী সংস্থা "
        "সমিতি কমিটি হোটেল"
    ),
    "sw": _words(
        "orodha chuo shule taasisi hekalu kanisa msikiti jumba ngome makumbusho maktaba hospitali uwanja "
        "stesheni benki kampuni chama baraza bunge wizara ubalozi klabu timu shirikisho ligi kombe tamasha "
        "tuzo jeshi kamati shirika hoteli"
    ),
}


def is_head(word: str | None, lang: str) -> bool:
    """Whether ``word`` is an organisation/facility/title head of ``lang`` or a company legal form."""
    if word is None:
        return False
    if word.rstrip(".") in LEGAL_FORMS:
        return True
    heads = ORG_HEADS.get(lang, frozenset())
    folded = word.casefold()
    if folded in heads:
        return True
    if lang == "ar":
        return any(folded.startswith(p) and folded[len(p) :] in heads for p in _ARABIC_PREFIXES)
    return False


def _is_word(token: str) -> bool:
    return regex.match(r"\p{L}", token) is not None


def _walk(tokens: list[str], lang: str, function_word) -> list[str]:
    """The tokens of the same name, nearest first: capitalised words, numbers, quote marks, abbreviation dots
    and function words; stops at anything else or after :data:`WALK` tokens."""
    out: list[str] = []
    for tok in itertools.islice(tokens, WALK):
        if _is_word(tok):
            if not (tok[0].isupper() or function_word(tok, lang)):
                break
        elif not (tok.isdigit() or tok in QUOTES or tok == "."):
            break
        out.append(tok)
    return out


def tokens_before(text: str, start: int) -> list[str]:
    """Tokens before ``start``, nearest first."""
    return [m.group() for m in _TOKEN_RE.finditer(text, 0, start)][::-1][: WALK + 2]


def tokens_after(text: str, end: int) -> list[str]:
    return [m.group() for m in itertools.islice(_TOKEN_RE.finditer(text, end), WALK + 2)]


def _clause(tokens: list[str]) -> list[str]:
    """The words up to the first punctuation mark."""
    return list(itertools.takewhile(_is_word, tokens))


def in_named_phrase(text: str, start: int, end: int, lang: str, cased: bool, function_word) -> bool:
    """Whether ``text[start:end]`` is part of the name of an organisation, facility or title (module doc).
    ``function_word(word, lang)`` is ``evidence.is_function_word``."""
    before, after = tokens_before(text, start), tokens_after(text, end)
    if len(before) >= 2 and before[0] in {",", "،"} and is_head(before[1], lang):
        return True  # "Laxmi Narayan Temple, Delhi"
    if any(w.rstrip(".") in LEGAL_FORMS for w in text[start:end].split()):  # "Elisa Oyj", not "Palacio"
        return True
    if cased:
        run = _walk(before, lang, function_word) + _walk(after, lang, function_word)
        return any(is_head(w, lang) and w[0].isupper() for w in run if _is_word(w))
    left, right = _clause(before), _clause(after)
    if (left and is_head(left[0], lang)) or (right and is_head(right[0], lang)):
        return True  # "लक्ष्मी नारायण मंदिर"
    if lang in HEAD_FINAL:
        return bool(right) and right[0] in HEAD_FINAL_GENITIVES[lang] and any(is_head(w, lang) for w in right)
    return any(is_head(w, lang) for w in left[:WALK])
