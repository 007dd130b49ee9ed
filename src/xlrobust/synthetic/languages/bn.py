"""Bengali lexicon and templates (standard colloquial register; the QA biographies use the honorific verb
forms of written biography). Verbs do not mark gender; case suffixes are part of the word, so the locative or
genitive form of a place or organisation (ঢাকায়, ঢাকার) is listed and is the entity token, as in WikiANN."""

from xlrobust.synthetic._spec import Frame, LanguageSpec

_VOWEL_SIGNS = set("ািীুূৃেৈোৌ") | set("অআইঈউঊঋএঐওঔ")


def _genitive(name: str) -> str:
    """-র after a written vowel, -এর after a consonant (রিয়ার, রহিমের)."""
    return name + ("র" if name[-1] in _VOWEL_SIGNS else "ের")


def _extra(spec: LanguageSpec, frame: Frame) -> dict[str, str]:
    return {
        "p_gen": _genitive(spec.person(frame["p"])),  # type: ignore[arg-type]
        "p2_gen": _genitive(spec.person(frame["p2"])),  # type: ignore[arg-type]
    }


def _city(nom: str, loc: str, gen: str) -> dict[str, str]:
    return {"nom": nom, "loc": loc, "gen": gen}


def _obj(bare: str, gen: str) -> dict[str, str]:
    return {"bare": bare, "count": f"[{{n}}]টি {bare}", "gen": gen}


# fmt: off
SPEC = LanguageSpec(
    code="bn",
    female=("ফাতেমা", "আয়েশা", "নুসরাত", "সুমাইয়া", "তাসলিমা", "রুমানা", "শিরিন", "ফারহানা", "নাসরিন",
            "সাবরিনা", "মরিয়ম", "জান্নাত"),
    male=("রহিম", "করিম", "আরিফ", "তানভীর", "সাকিব", "ইমরান", "রাকিব", "সুমন", "রফিক", "নাঈম", "হাসান", "জামাল"),
    surnames=("আহমেদ", "হোসেন", "রহমান", "ইসলাম", "চৌধুরী", "আলম", "সরকার", "বিশ্বাস", "খান", "মজুমদার", "হক",
              "উদ্দিন"),
    cities=(
        _city("ঢাকা", "ঢাকায়", "ঢাকার"),
        _city("চট্টগ্রাম", "চট্টগ্রামে", "চট্টগ্রামের"),
        _city("সিলেট", "সিলেটে", "সিলেটের"),
        _city("খুলনা", "খুলনায়", "খুলনার"),
        _city("রাজশাহী", "রাজশাহীতে", "রাজশাহীর"),
        _city("বরিশাল", "বরিশালে", "বরিশালের"),
        _city("রংপুর", "রংপুরে", "রংপুরের"),
        _city("ময়মনসিংহ", "ময়মনসিংহে", "ময়মনসিংহের"),
        _city("কুমিল্লা", "কুমিল্লায়", "কুমিল্লার"),
        _city("গাজীপুর", "গাজীপুরে", "গাজীপুরের"),
        _city("নারায়ণগঞ্জ", "নারায়ণগঞ্জে", "নারায়ণগঞ্জের"),
        _city("যশোর", "যশোরে", "যশোরের"),
        _city("বগুড়া", "বগুড়ায়", "বগুড়ার"),
        _city("দিনাজপুর", "দিনাজপুরে", "দিনাজপুরের"),
        _city("কক্সবাজার", "কক্সবাজারে", "কক্সবাজারের"),
        _city("টাঙ্গাইল", "টাঙ্গাইলে", "টাঙ্গাইলের"),
        _city("কলকাতা", "কলকাতায়", "কলকাতার"),
        _city("শিলিগুড়ি", "শিলিগুড়িতে", "শিলিগুড়ির"),
        _city("পাবনা", "পাবনায়", "পাবনার"),
        _city("নোয়াখালী", "নোয়াখালীতে", "নোয়াখালীর"),
    ),
    orgs=(
        {"nom": "মাইক্রোসফট", "at": "মাইক্রোসফটে"},  # 0-2: shared companies, transliterated (_spec.SHARED_ORGS)
        {"nom": "গুগল", "at": "গুগলে"},
        {"nom": "অ্যামাজন", "at": "অ্যামাজনে"},
        {"nom": "ঢাকা বিশ্ববিদ্যালয়", "at": "ঢাকা বিশ্ববিদ্যালয়ে"},
        {"nom": "সোনালী ব্যাংক", "at": "সোনালী ব্যাংকে"},
        {"nom": "বাংলাদেশ ব্যাংক", "at": "বাংলাদেশ ব্যাংকে"},
        {"nom": "প্রথম আলো", "at": "প্রথম আলোতে"},
        {"nom": "বাংলাদেশ রেলওয়ে", "at": "বাংলাদেশ রেলওয়েতে"},
        {"nom": "রাজশাহী বিশ্ববিদ্যালয়", "at": "রাজশাহী বিশ্ববিদ্যালয়ে"},
        {"nom": "স্কয়ার গ্রুপ", "at": "স্কয়ার গ্রুপে"},
        {"nom": "ওয়ালটন", "at": "ওয়ালটনে"},
        {"nom": "বেক্সিমকো", "at": "বেক্সিমকোতে"},
        {"nom": "ব্র্যাক ব্যাংক", "at": "ব্র্যাক ব্যাংকে"},
        {"nom": "বাংলা একাডেমি", "at": "বাংলা একাডেমিতে"},
        {"nom": "বুয়েট", "at": "বুয়েটে"},
        {"nom": "আড়ং", "at": "আড়ংয়ে"},
    ),
    objects={
        "apple": _obj("আপেল", "আপেলের"),
        "orange": _obj("কমলা", "কমলার"),
        "banana": _obj("কলা", "কলার"),
        "mango": _obj("আম", "আমের"),
        "tomato": _obj("টমেটো", "টমেটোর"),
        "onion": _obj("পেঁয়াজ", "পেঁয়াজের"),
        "book": _obj("বই", "বইয়ের"),
        "shirt": _obj("শার্ট", "শার্টের"),
    },
    hypernyms={
        "fruit": {"bare": "ফল", "neg": "কোনো ফল"},
        "vegetable": {"bare": "সবজি", "neg": "কোনো সবজি"},
        "clothes": {"bare": "জামাকাপড়", "neg": "কোনো জামাকাপড়"},
    },
    vehicles={
        "train": {"by": "[ট্রেনে]", "nom": "ট্রেন"},
        "bus": {"by": "[বাসে]", "nom": "বাস"},
        "plane": {"by": "[বিমানে]", "nom": "বিমান"},
        "car": {"by": "[গাড়িতে]", "nom": "গাড়ি"},
    },
    professions={
        "doctor": {"nom": "[ডাক্তার]"},
        "teacher": {"nom": ("[শিক্ষক]", "[শিক্ষিকা]")},
        "engineer": {"nom": "[প্রকৌশলী]"},
        "journalist": {"nom": "[সাংবাদিক]"},
        "lawyer": {"nom": "[আইনজীবী]"},
        "cook": {"nom": "[রাঁধুনি]"},
    },
    days=("সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার", "শুক্রবার", "শনিবার", "রবিবার"),
    year="[{y}] সালে",
    extra_slots=_extra,
    templates={
        "buy_p": "{p} {day} {city_gen} বাজার থেকে {obj_n} কিনল।",
        "buy_obj": "{p} {obj} কিনল।",
        "buy_hyper": "{p} {hyper} কিনল।",
        "was_in_city": "{p} {day} {city_loc} ছিল।",
        "bought_nothing": "{p} {day} কিছুই কেনেনি।",
        "buy_count": "{p} {day} {obj_n} কিনল।",
        "no_obj": "{p} {obj} কেনেনি।",
        "no_hyper": "{p} {hyper_neg} কেনেনি।",
        "stay_home": "{p} {day} সারাদিন বাড়িতে ছিল।",
        "buy_for_brother": "{p} তার ভাইয়ের জন্য {obj} কিনল।",
        "buy_bread": "{p} বাজার থেকে রুটিও কিনল।",
        "no_bread": "{p} রুটি কেনেনি।",
        "travel_p": "{p} {day} {veh} {city_loc} গেল।",
        "went_to": "{p} {day} {city_loc} গেল।",
        "travelled_by": "{p} {veh} ভ্রমণ করল।",
        "not_home": "{p} {day} বাড়িতে থাকেনি।",
        "never_been": "{p} কখনো {city_loc} যায়নি।",
        "travel_for_work": "{p} কাজের জন্য {city_loc} গেল।",
        "visit_grandma": "{p} {city_loc} তার দাদির সঙ্গে দেখা করতে গেল।",
        "not_alone": "{p} একা ভ্রমণ করেনি।",
        "cmp_p": "{p} {p2_gen} চেয়ে {k} সেন্টিমিটার লম্বা।",
        "cmp_not_taller": "{p} {p2_gen} চেয়ে লম্বা নয়।",
        "cmp_taller": "{p} {p2_gen} চেয়ে লম্বা।",
        "cmp_shorter": "{p} {p2_gen} চেয়ে খাটো।",
        "cmp_older": "{p} {p2_gen} চেয়ে বয়সে বড়।",
        "plays_basketball": "{p} বাস্কেটবল খেলে।",
        "work_p": "{p} {k} বছর ধরে {city_loc} {prof} হিসেবে কাজ করছে।",
        "is_prof": "{p} একজন {prof}।",
        "works_in_city": "{p} {city_loc} কাজ করে।",
        "work_count": "{p} {k} বছর ধরে {city_loc} কাজ করছে।",
        "never_worked_as": "{p} কখনো {prof} হিসেবে কাজ করেনি।",
        "started_last_month": "{p} গত মাসে {prof} হিসেবে কাজ শুরু করেছে।",
        "is_prof2_not_prof": "{p} একজন {prof2}, {prof} নয়।",
        "likes_job": "{p} তার কাজ পছন্দ করে।",
        "lives_with_family": "{p} পরিবারের সঙ্গে {city_loc} থাকে।",
        "no_coffee": "{p} কফি খায় না।",
        "ner_rain": "{day} {city_loc} সারাদিন বৃষ্টি হয়েছে।",
        "ner_prices": "{day} {obj_gen} দাম আবার বেড়েছে।",
        "ner_late": "{day} {veh_nom} {k} মিনিট দেরিতে পৌঁছেছে।",
        "ner_rain0": "{day} সারাদিন বৃষ্টি হয়েছে।",
        "ner_buy": "{p_full} {day} {obj_n} কিনেছে।",
        "ner_works": "{p_full} {org_at} কাজ করে।",
        "ner_lives": "{p_full} {city_loc} থাকে।",
        "ner_office": "{org} {city_loc} একটি নতুন অফিস খুলেছে।",
        "ner_travel": "{p_full} {veh} {city_loc} গেছে।",
        "ner_works_in": "{p_full} {city_loc} {org_at} কাজ করে।",
        "ner_met": "{p_full} ও {p2_full} {day} {city_loc} দেখা করেছে।",
        "ner_city_big": "{city} একটি বড় শহর।",
        "qa_born": "{p_full} {year} {city_loc} জন্মগ্রহণ করেন।",
        "qa_works": "{p} {org_at} {prof} হিসেবে কাজ করেন।",
        "qa_books": "{p} {obj_n} লিখেছেন।",
        "qa_travel": "{year2} {p} {veh} {city2_loc} গিয়েছিলেন।",
        "q_born_where": "{p_full} কোথায় জন্মগ্রহণ করেন?",
        "q_born_when": "{p_full} কোন সালে জন্মগ্রহণ করেন?",
        "q_prof": "{p} কী কাজ করেন?",
        "q_org": "{p} কোথায় কাজ করেন?",
        "q_books": "{p} কয়টি বই লিখেছেন?",
        "q_travel_where": "{year2} {p} কোথায় গিয়েছিলেন?",
        "q_travel_how": "{year2} {p} কীভাবে {city2_loc} গিয়েছিলেন?",
    },
)
# fmt: on
