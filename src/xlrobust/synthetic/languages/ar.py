"""Modern Standard Arabic lexicon and templates. Verb-initial clauses whose verb agrees in gender with the
subject (person or organisation); counted nouns are the plurals used with 3-10 (quantities here are 3-9);
prepositions are written apart from names ("في القاهرة") so entities stay whole words."""

from xlrobust.synthetic._spec import LanguageSpec


def _mf(m: str, f: str) -> dict[str, str]:
    return {"m": m, "f": f}


def _obj(count: str, some: str, the: str) -> dict[str, str]:
    """Forms: "some apples", "3 apples", "the apples" (prices), "any apples" (negated: أي + the noun without ال)."""
    return {"some": some, "count": count, "def": the, "neg": "أي " + the.removeprefix("ال")}


# fmt: off
SPEC = LanguageSpec(
    code="ar",
    female=("فاطمة", "مريم", "سارة", "ليلى", "نور", "هدى", "ريم", "سلمى", "أمل", "منى", "هند", "رنا"),
    male=("أحمد", "محمد", "عمر", "خالد", "يوسف", "علي", "حسن", "كريم", "سامي", "طارق", "ماجد", "زياد"),
    surnames=("حداد", "النجار", "الخطيب", "المصري", "الحسيني", "العلي", "الشمري", "السيد", "منصور",
              "عبد الله", "إبراهيم", "سليمان"),
    cities=("القاهرة", "الإسكندرية", "الرياض", "جدة", "دبي", "أبو ظبي", "الدوحة", "عمّان", "بيروت", "دمشق",
            "بغداد", "تونس", "الرباط", "الدار البيضاء", "مسقط", "الكويت", "المنامة", "الخرطوم", "طرابلس",
            "الأقصر"),
    orgs=("مايكروسوفت", "غوغل", "أمازون",  # 0-2: shared companies, transliterated (_spec.SHARED_ORGS)
          "البنك الأهلي", "الهلال الأحمر", "قناة الجزيرة",
          "سابك", "الخطوط الجوية القطرية", "جامعة الملك سعود", "مكتبة الإسكندرية", "بنك مصر", "اتصالات",
          "جامعة الدول العربية", "المراعي", "البنك العربي", "موانئ دبي العالمية"),
    org_gender=("f", "f", "f", "m", "m", "f", "f", "f", "f", "f", "m", "f", "f", "f", "m", "f"),
    objects={
        "apple": _obj("[{n}] تفاحات", "بعض التفاح", "التفاح"),
        "orange": _obj("[{n}] برتقالات", "بعض البرتقال", "البرتقال"),
        "banana": _obj("[{n}] موزات", "بعض الموز", "الموز"),
        "mango": _obj("[{n}] حبات مانجو", "بعض المانجو", "المانجو"),
        "tomato": _obj("[{n}] حبات طماطم", "بعض الطماطم", "الطماطم"),
        "onion": _obj("[{n}] بصلات", "بعض البصل", "البصل"),
        "book": _obj("[{n}] كتب", "بعض الكتب", "الكتب"),
        "shirt": _obj("[{n}] قمصان", "بعض القمصان", "القمصان"),
    },
    hypernyms={
        "fruit": {"some": "بعض الفاكهة", "neg": "أي فاكهة"},
        "vegetable": {"some": "بعض الخضروات", "neg": "أي خضروات"},
        "clothes": {"some": "بعض الملابس", "neg": "أي ملابس"},
    },
    vehicles={
        "train": {"by": "ب[القطار]", "late": "تأخر القطار"},
        "bus": {"by": "ب[الحافلة]", "late": "تأخرت الحافلة"},
        "plane": {"by": "ب[الطائرة]", "late": "تأخرت الطائرة"},
        "car": {"by": "ب[السيارة]", "late": "تأخرت السيارة"},
    },
    professions={
        "doctor": {"nom": ("[طبيب]", "[طبيبة]"), "acc": ("[طبيبًا]", "[طبيبةً]")},
        "teacher": {"nom": ("[معلم]", "[معلمة]"), "acc": ("[معلمًا]", "[معلمةً]")},
        "engineer": {"nom": ("[مهندس]", "[مهندسة]"), "acc": ("[مهندسًا]", "[مهندسةً]")},
        "journalist": {"nom": ("[صحفي]", "[صحفية]"), "acc": ("[صحفيًا]", "[صحفيةً]")},
        "lawyer": {"nom": ("[محامٍ]", "[محامية]"), "acc": ("[محاميًا]", "[محاميةً]")},
        "cook": {"nom": ("[طباخ]", "[طباخة]"), "acc": ("[طباخًا]", "[طباخةً]")},
    },
    days=("يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "يوم الجمعة", "يوم السبت", "يوم الأحد"),
    year="عام [{y}]",
    templates={
        "buy_p": _mf(
            "اشترى {p} {obj_n} من السوق في {city} {day}.", "اشترت {p} {obj_n} من السوق في {city} {day}."
        ),
        "buy_obj": _mf("اشترى {p} {obj}.", "اشترت {p} {obj}."),
        "buy_hyper": _mf("اشترى {p} {hyper}.", "اشترت {p} {hyper}."),
        "was_in_city": _mf("كان {p} في {city} {day}.", "كانت {p} في {city} {day}."),
        "bought_nothing": _mf("لم يشترِ {p} شيئًا {day}.", "لم تشترِ {p} شيئًا {day}."),
        "buy_count": _mf("اشترى {p} {obj_n} {day}.", "اشترت {p} {obj_n} {day}."),
        "no_obj": _mf("لم يشترِ {p} {obj_neg}.", "لم تشترِ {p} {obj_neg}."),
        "no_hyper": _mf("لم يشترِ {p} {hyper_neg}.", "لم تشترِ {p} {hyper_neg}."),
        "stay_home": _mf("بقي {p} في البيت {day} ولم يخرج.", "بقيت {p} في البيت {day} ولم تخرج."),
        "buy_for_brother": _mf("اشترى {p} {obj} لأخيه.", "اشترت {p} {obj} لأخيها."),
        "buy_bread": _mf("اشترى {p} الخبز أيضًا من السوق.", "اشترت {p} الخبز أيضًا من السوق."),
        "no_bread": _mf("لم يشترِ {p} الخبز.", "لم تشترِ {p} الخبز."),
        "travel_p": _mf("سافر {p} إلى {city} {veh} {day}.", "سافرت {p} إلى {city} {veh} {day}."),
        "went_to": _mf("ذهب {p} إلى {city} {day}.", "ذهبت {p} إلى {city} {day}."),
        "travelled_by": _mf("سافر {p} {veh}.", "سافرت {p} {veh}."),
        "not_home": _mf("لم يبقَ {p} في البيت {day}.", "لم تبقَ {p} في البيت {day}."),
        "never_been": _mf("لم يزر {p} {city} من قبل.", "لم تزر {p} {city} من قبل."),
        "travel_for_work": _mf("سافر {p} إلى {city} في رحلة عمل.", "سافرت {p} إلى {city} في رحلة عمل."),
        "visit_grandma": _mf("زار {p} جدته في {city}.", "زارت {p} جدتها في {city}."),
        "not_alone": _mf("لم يسافر {p} وحده.", "لم تسافر {p} وحدها."),
        "cmp_p": "{p} أطول من {p2} بمقدار {k} سنتيمترات.",
        "cmp_not_taller": _mf("{p} ليس أطول من {p2}.", "{p} ليست أطول من {p2}."),
        "cmp_taller": "{p} أطول من {p2}.",
        "cmp_shorter": "{p} أقصر من {p2}.",
        "cmp_older": "{p} أكبر سنًا من {p2}.",
        "plays_basketball": _mf("يلعب {p} كرة السلة.", "تلعب {p} كرة السلة."),
        "work_p": _mf(
            "يعمل {p} {prof_acc} في {city} منذ {k} سنوات.", "تعمل {p} {prof_acc} في {city} منذ {k} سنوات."
        ),
        "is_prof": "{p} {prof}.",
        "works_in_city": _mf("يعمل {p} في {city}.", "تعمل {p} في {city}."),
        "work_count": _mf("يعمل {p} في {city} منذ {k} سنوات.", "تعمل {p} في {city} منذ {k} سنوات."),
        "never_worked_as": _mf("لم يعمل {p} {prof_acc} قط.", "لم تعمل {p} {prof_acc} قط."),
        "started_last_month": _mf(
            "بدأ {p} العمل {prof_acc} في الشهر الماضي.", "بدأت {p} العمل {prof_acc} في الشهر الماضي."
        ),
        "is_prof2_not_prof": _mf("{p} {prof2} وليس {prof_acc}.", "{p} {prof2} وليست {prof_acc}."),
        "likes_job": _mf("يحب {p} عمله.", "تحب {p} عملها."),
        "lives_with_family": _mf("يعيش {p} مع عائلته في {city}.", "تعيش {p} مع عائلتها في {city}."),
        "no_coffee": _mf("لا يشرب {p} القهوة.", "لا تشرب {p} القهوة."),
        "ner_rain": "هطل المطر في {city} طوال {day}.",
        "ner_prices": "ارتفعت أسعار {obj_def} مرة أخرى {day}.",
        "ner_late": "{veh_late} {k} دقائق {day}.",
        "ner_rain0": "هطل المطر طوال {day}.",
        "ner_buy": _mf("اشترى {p_full} {obj_n} {day}.", "اشترت {p_full} {obj_n} {day}."),
        "ner_works": _mf("يعمل {p_full} في {org}.", "تعمل {p_full} في {org}."),
        "ner_lives": _mf("يعيش {p_full} في {city}.", "تعيش {p_full} في {city}."),
        "ner_office": _mf("افتتح {org} مكتبًا جديدًا في {city}.", "افتتحت {org} مكتبًا جديدًا في {city}."),
        "ner_travel": _mf("سافر {p_full} إلى {city} {veh}.", "سافرت {p_full} إلى {city} {veh}."),
        "ner_works_in": _mf("يعمل {p_full} في {org} في {city}.", "تعمل {p_full} في {org} في {city}."),
        "ner_met": _mf(
            "التقى {p_full} مع {p2_full} في {city} {day}.", "التقت {p_full} مع {p2_full} في {city} {day}."
        ),
        "ner_city_big": "{city} مدينة كبيرة.",
        "qa_born": _mf("وُلد {p_full} في {city} {year}.", "وُلدت {p_full} في {city} {year}."),
        "qa_works": _mf("يعمل {p} {prof_acc} في {org}.", "تعمل {p} {prof_acc} في {org}."),
        "qa_books": _mf("كتب {p} {obj_n}.", "كتبت {p} {obj_n}."),
        "qa_travel": _mf("في {year2} سافر {p} إلى {city2} {veh}.", "في {year2} سافرت {p} إلى {city2} {veh}."),
        "q_born_where": _mf("أين وُلد {p_full}؟", "أين وُلدت {p_full}؟"),
        "q_born_when": _mf("في أي عام وُلد {p_full}؟", "في أي عام وُلدت {p_full}؟"),
        "q_prof": "ما هي مهنة {p}؟",
        "q_org": _mf("أين يعمل {p}؟", "أين تعمل {p}؟"),
        "q_books": _mf("كم كتابًا كتب {p}؟", "كم كتابًا كتبت {p}؟"),
        "q_travel_where": _mf("إلى أين سافر {p} في {year2}؟", "إلى أين سافرت {p} في {year2}؟"),
        "q_travel_how": _mf("كيف سافر {p} إلى {city2} في {year2}؟", "كيف سافرت {p} إلى {city2} في {year2}؟"),
    },
)
# fmt: on
