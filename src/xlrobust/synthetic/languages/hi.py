"""Hindi lexicon and templates. Intransitive and habitual verbs agree with the subject's gender (गई/गया,
करती/करता); perfective transitive verbs take ने and agree with the object (सेब खरीदे, किताबें खरीदीं), so each
object and hypernym records its gender; postpositions are separate words, so entities stay whole."""

from xlrobust.synthetic._spec import HYPERNYM, Frame, LanguageSpec


def _g(template: str) -> dict[str, str]:
    """Subject-gender variants: {ई} is the feminine/masculine ending ई/आ of गई, रही, करती, ... ."""
    return {
        "m": template.replace("{गई}", "गया").replace("{ती}", "ता").replace("{ही}", "हा").replace("{ी}", "ा"),
        "f": template.replace("{गई}", "गई").replace("{ती}", "ती").replace("{ही}", "ही").replace("{ी}", "ी"),
    }


def _obj(pl: str, obl: str, gender: str) -> dict[str, str]:
    return {"pl": pl, "count": f"[{{n}}] {pl}", "obl": obl, "g": gender}


_BOUGHT_PL = {"m": "खरीदे", "f": "खरीदीं"}
_BOUGHT_SG = {"m": "खरीदा", "f": "खरीदी"}


def _extra(spec: LanguageSpec, frame: Frame) -> dict[str, str]:
    """Verb forms that agree with the object of खरीदना."""
    out = {"obj_bought": _BOUGHT_PL[spec.objects[frame["obj"]]["g"]]}  # type: ignore[index]
    hyper = HYPERNYM[frame["obj"]]  # type: ignore[index]
    if hyper is not None:
        g = spec.hypernyms[hyper]["g"]
        out["hyper_bought"], out["hyper_notbought"] = _BOUGHT_PL[g], _BOUGHT_SG[g]
    return out


# fmt: off
SPEC = LanguageSpec(
    code="hi",
    female=("प्रिया", "अनीता", "सुनीता", "पूजा", "नेहा", "कविता", "मीरा", "रेखा", "अंजलि", "दीपिका", "सीमा",
            "ज्योति"),
    male=("राहुल", "अमित", "विकास", "सुरेश", "राजेश", "संजय", "अर्जुन", "रवि", "मनोज", "आदित्य", "विजय", "अजय"),
    surnames=("शर्मा", "वर्मा", "गुप्ता", "सिंह", "पटेल", "यादव", "मिश्रा", "जोशी", "चौहान", "अग्रवाल",
              "तिवारी", "मेहता"),
    cities=("नई दिल्ली", "मुंबई", "जयपुर", "लखनऊ", "पटना", "भोपाल", "इंदौर", "कानपुर", "वाराणसी", "आगरा",
            "पुणे", "नागपुर", "अहमदाबाद", "चंडीगढ़", "देहरादून", "शिमला", "अमृतसर", "उदयपुर", "ग्वालियर",
            "रांची"),
    orgs=("माइक्रोसॉफ्ट", "गूगल", "अमेज़न",  # 0-2: shared companies, transliterated (_spec.SHARED_ORGS)
          "भारतीय स्टेट बैंक", "एयर इंडिया", "भारतीय रेल",
          "विप्रो", "दिल्ली विश्वविद्यालय", "इसरो", "बजाज ऑटो", "एचडीएफसी बैंक", "इंडियन ऑयल",
          "काशी हिंदू विश्वविद्यालय", "अमूल", "भारतीय रिज़र्व बैंक", "लार्सन एंड टुब्रो"),
    org_forms={"at": "[{}] में"},
    objects={
        "apple": _obj("सेब", "सेबों", "m"),
        "orange": _obj("संतरे", "संतरों", "m"),
        "banana": _obj("केले", "केलों", "m"),
        "mango": _obj("आम", "आमों", "m"),
        "tomato": _obj("टमाटर", "टमाटरों", "m"),
        "onion": _obj("प्याज़", "प्याज़", "m"),
        "book": _obj("किताबें", "किताबों", "f"),
        "shirt": _obj("कमीज़ें", "कमीज़ों", "f"),
    },
    hypernyms={
        "fruit": {"pl": "फल", "neg": "कोई फल", "g": "m"},
        "vegetable": {"pl": "सब्ज़ियाँ", "neg": "कोई सब्ज़ी", "g": "f"},
        "clothes": {"pl": "कपड़े", "neg": "कोई कपड़ा", "g": "m"},
    },
    vehicles={
        "train": {"by": "[ट्रेन] से", "nom": "ट्रेन", "arrived": "पहुँची"},
        "bus": {"by": "[बस] से", "nom": "बस", "arrived": "पहुँची"},
        "plane": {"by": "[हवाई जहाज़] से", "nom": "हवाई जहाज़", "arrived": "पहुँचा"},
        "car": {"by": "[कार] से", "nom": "कार", "arrived": "पहुँची"},
    },
    professions={
        "doctor": {"nom": "[डॉक्टर]"},
        "teacher": {"nom": ("[अध्यापक]", "[अध्यापिका]")},
        "engineer": {"nom": "[इंजीनियर]"},
        "journalist": {"nom": "[पत्रकार]"},
        "lawyer": {"nom": "[वकील]"},
        "cook": {"nom": "[शेफ़]"},
    },
    days=("सोमवार को", "मंगलवार को", "बुधवार को", "गुरुवार को", "शुक्रवार को", "शनिवार को", "रविवार को"),
    year="[{y}] में",
    extra_slots=_extra,
    templates={
        "buy_p": "{p} ने {day} {city} के बाज़ार से {obj_n} {obj_bought}।",
        "buy_obj": "{p} ने {obj} {obj_bought}।",
        "buy_hyper": "{p} ने {hyper} {hyper_bought}।",
        "was_in_city": _g("{p} {day} {city} में थ{ी}।"),
        "bought_nothing": "{p} ने {day} कुछ नहीं खरीदा।",
        "buy_count": "{p} ने {day} {obj_n} {obj_bought}।",
        "no_obj": "{p} ने {obj} नहीं {obj_bought}।",
        "no_hyper": "{p} ने {hyper_neg} नहीं {hyper_notbought}।",
        "stay_home": _g("{p} {day} पूरे दिन घर पर र{ही}।"),
        "buy_for_brother": "{p} ने अपने भाई के लिए {obj} {obj_bought}।",
        "buy_bread": "{p} ने बाज़ार से ब्रेड भी खरीदी।",
        "no_bread": "{p} ने ब्रेड नहीं खरीदी।",
        "travel_p": _g("{p} {day} {veh} {city} {गई}।"),
        "went_to": _g("{p} {day} {city} {गई}।"),
        "travelled_by": "{p} ने {veh} यात्रा की।",
        "not_home": _g("{p} {day} घर पर नहीं र{ही}।"),
        "never_been": _g("{p} कभी {city} नहीं {गई}।"),
        "travel_for_work": _g("{p} काम के सिलसिले में {city} {गई}।"),
        "visit_grandma": _g("{p} {city} में अपनी दादी से मिलने {गई}।"),
        "not_alone": "{p} ने अकेले यात्रा नहीं की।",
        "cmp_p": _g("{p} {p2} से {k} सेंटीमीटर लंब{ी} है।"),
        "cmp_not_taller": _g("{p} {p2} से लंब{ी} नहीं है।"),
        "cmp_taller": _g("{p} {p2} से लंब{ी} है।"),
        "cmp_shorter": _g("{p} कद में {p2} से छोट{ी} है।"),
        "cmp_older": _g("{p} उम्र में {p2} से बड़{ी} है।"),
        "plays_basketball": _g("{p} बास्केटबॉल खेल{ती} है।"),
        "work_p": _g("{p} {k} साल से {city} में {prof} के रूप में काम कर र{ही} है।"),
        "is_prof": "{p} {prof} है।",
        "works_in_city": _g("{p} {city} में काम कर{ती} है।"),
        "work_count": _g("{p} {k} साल से {city} में काम कर र{ही} है।"),
        "never_worked_as": "{p} ने कभी {prof} के रूप में काम नहीं किया।",
        "started_last_month": "{p} ने पिछले महीने {prof} के रूप में काम शुरू किया।",
        "is_prof2_not_prof": "{p} {prof2} है, {prof} नहीं।",
        "likes_job": "{p} को अपना काम पसंद है।",
        "lives_with_family": _g("{p} अपने परिवार के साथ {city} में रह{ती} है।"),
        "no_coffee": _g("{p} कॉफ़ी नहीं पी{ती}।"),
        "ner_rain": "{day} {city} में पूरे दिन बारिश हुई।",
        "ner_prices": "{day} {obj_obl} के दाम फिर बढ़ गए।",
        "ner_late": "{day} {veh_nom} {k} मिनट देर से {veh_arrived}।",
        "ner_rain0": "{day} पूरे दिन बारिश हुई।",
        "ner_buy": "{p_full} ने {day} {obj_n} {obj_bought}।",
        "ner_works": _g("{p_full} {org_at} काम कर{ती} है।"),
        "ner_lives": _g("{p_full} {city} में रह{ती} है।"),
        "ner_office": "{org} ने {city} में नया दफ़्तर खोला।",
        "ner_travel": _g("{p_full} {veh} {city} {गई}।"),
        "ner_works_in": _g("{p_full} {city} में {org_at} काम कर{ती} है।"),
        "ner_met": {
            "m": "{p_full} और {p2_full} {day} {city} में मिले।",
            "f": "{p_full} और {p2_full} {day} {city} में मिलीं।",
        },
        "ner_city_big": "{city} एक बड़ा शहर है।",
        "qa_born": "{p_full} का जन्म {year} {city} में हुआ था।",
        "qa_works": _g("{p} {org_at} {prof} के रूप में काम कर{ती} है।"),
        "qa_books": "{p} ने {obj_n} लिखी हैं।",
        "qa_travel": _g("{year2} {p} {veh} {city2} {गई}।"),
        "q_born_where": "{p_full} का जन्म कहाँ हुआ था?",
        "q_born_when": "{p_full} का जन्म किस साल हुआ था?",
        "q_prof": _g("{p} क्या काम कर{ती} है?"),
        "q_org": _g("{p} कहाँ काम कर{ती} है?"),
        "q_books": "{p} ने कितनी किताबें लिखी हैं?",
        "q_travel_where": _g("{year2} {p} कहाँ {गई}?"),
        "q_travel_how": _g("{year2} {p} {city2} कैसे {गई}?"),
    },
)
# fmt: on
