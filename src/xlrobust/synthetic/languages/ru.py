"""Russian lexicon and templates. Case forms are listed (prepositional "в Казани", accusative "в Казань",
instrumental professions "работает врачом"); past-tense verbs agree with the subject's gender; numerals pick
the genitive singular (2-4) or plural (5+) of the noun; organisations are subjects only in the present tense."""

from collections.abc import Mapping

from xlrobust.synthetic._spec import LanguageSpec


def _g(template: str) -> dict[str, str]:
    """Past-tense variants: {а} is the feminine ending (купил/купила), {ся} the reflexive one (-лся/-лась)."""
    return {
        "m": template.replace("{а}", "").replace("{ся}", "ся"),
        "f": template.replace("{а}", "а").replace("{ся}", "ась"),
    }


def _city(nom: str, loc: str, to: str) -> dict[str, str]:
    return {"nom": nom, "loc": loc, "to": to}


def _count(n: int, entry: Mapping[str, str]) -> str:
    last2, last = n % 100, n % 10
    form = entry["gsg"] if 2 <= last <= 4 and not 12 <= last2 <= 14 else entry["gpl"]
    return f"[{n}] {form}"


# fmt: off
SPEC = LanguageSpec(
    code="ru",
    female=("Анна", "Мария", "Елена", "Ольга", "Наталья", "Екатерина", "Татьяна", "Ирина", "Светлана", "Юлия",
            "Дарья", "Ксения"),
    male=("Иван", "Дмитрий", "Алексей", "Сергей", "Андрей", "Михаил", "Николай", "Павел", "Артём", "Максим",
          "Владимир", "Егор"),
    surnames=(
        ("Иванов", "Иванова"),
        ("Смирнов", "Смирнова"),
        ("Кузнецов", "Кузнецова"),
        ("Попов", "Попова"),
        ("Соколов", "Соколова"),
        ("Лебедев", "Лебедева"),
        ("Козлов", "Козлова"),
        ("Новиков", "Новикова"),
        ("Морозов", "Морозова"),
        ("Волков", "Волкова"),
        ("Соловьёв", "Соловьёва"),
        ("Васильев", "Васильева"),
    ),
    cities=(
        _city("Москва", "в [Москве]", "в [Москву]"),
        _city("Санкт-Петербург", "в [Санкт-Петербурге]", "в [Санкт-Петербург]"),
        _city("Казань", "в [Казани]", "в [Казань]"),
        _city("Новосибирск", "в [Новосибирске]", "в [Новосибирск]"),
        _city("Екатеринбург", "в [Екатеринбурге]", "в [Екатеринбург]"),
        _city("Нижний Новгород", "в [Нижнем Новгороде]", "в [Нижний Новгород]"),
        _city("Самара", "в [Самаре]", "в [Самару]"),
        _city("Омск", "в [Омске]", "в [Омск]"),
        _city("Ростов-на-Дону", "в [Ростове-на-Дону]", "в [Ростов-на-Дону]"),
        _city("Уфа", "в [Уфе]", "в [Уфу]"),
        _city("Пермь", "в [Перми]", "в [Пермь]"),
        _city("Воронеж", "в [Воронеже]", "в [Воронеж]"),
        _city("Волгоград", "в [Волгограде]", "в [Волгоград]"),
        _city("Ярославль", "в [Ярославле]", "в [Ярославль]"),
        _city("Иркутск", "в [Иркутске]", "в [Иркутск]"),
        _city("Владивосток", "во [Владивостоке]", "во [Владивосток]"),
        _city("Калининград", "в [Калининграде]", "в [Калининград]"),
        _city("Томск", "в [Томске]", "в [Томск]"),
        _city("Тула", "в [Туле]", "в [Тулу]"),
        _city("Сочи", "в [Сочи]", "в [Сочи]"),
    ),
    orgs=(
        {"nom": "Microsoft", "at": "в [Microsoft]"},  # 0-2: shared companies, in Latin script as Russian
        {"nom": "Google", "at": "в [Google]"},  # text writes them (indeclinable); _spec.SHARED_ORGS
        {"nom": "Amazon", "at": "в [Amazon]"},
        {"nom": "Яндекс", "at": "в [Яндексе]"},
        {"nom": "Ростелеком", "at": "в [Ростелекоме]"},
        {"nom": "Лукойл", "at": "в [Лукойле]"},
        {"nom": "Росатом", "at": "в [Росатоме]"},
        {"nom": "МГУ", "at": "в [МГУ]"},
        {"nom": "Эрмитаж", "at": "в [Эрмитаже]"},
        {"nom": "Большой театр", "at": "в [Большом театре]"},
        {"nom": "Российская академия наук", "at": "в [Российской академии наук]"},
        {"nom": "Высшая школа экономики", "at": "в [Высшей школе экономики]"},
        {"nom": "Русский музей", "at": "в [Русском музее]"},
        {"nom": "Альфа-Банк", "at": "в [Альфа-Банке]"},
        {"nom": "Третьяковская галерея", "at": "в [Третьяковской галерее]"},
        {"nom": "ВТБ", "at": "в [ВТБ]"},
    ),
    objects={
        "apple": {"acc": "яблоки", "gsg": "яблока", "gpl": "яблок"},
        "orange": {"acc": "апельсины", "gsg": "апельсина", "gpl": "апельсинов"},
        "banana": {"acc": "бананы", "gsg": "банана", "gpl": "бананов"},
        "mango": {"acc": "манго", "gsg": "манго", "gpl": "манго"},
        "tomato": {"acc": "помидоры", "gsg": "помидора", "gpl": "помидоров"},
        "onion": {"acc": "лук", "gsg": "луковицы", "gpl": "луковиц"},
        "book": {"acc": "книги", "gsg": "книги", "gpl": "книг"},
        "shirt": {"acc": "рубашки", "gsg": "рубашки", "gpl": "рубашек"},
    },
    count=_count,
    hypernyms={
        "fruit": {"acc": "фрукты", "neg": "никаких фруктов"},
        "vegetable": {"acc": "овощи", "neg": "никаких овощей"},
        "clothes": {"acc": "одежду", "neg": "никакой одежды"},
    },
    vehicles={
        "train": {"by": "на [поезде]", "late": "поезд опоздал"},
        "bus": {"by": "на [автобусе]", "late": "автобус опоздал"},
        "plane": {"by": "на [самолёте]", "late": "самолёт опоздал"},
        "car": {"by": "на [машине]", "late": "машина опоздала"},
    },
    professions={
        "doctor": {"nom": "[врач]", "ins": "[врачом]"},
        "teacher": {"nom": ("[учитель]", "[учительница]"), "ins": ("[учителем]", "[учительницей]")},
        "engineer": {"nom": "[инженер]", "ins": "[инженером]"},
        "journalist": {"nom": ("[журналист]", "[журналистка]"), "ins": ("[журналистом]", "[журналисткой]")},
        "lawyer": {"nom": "[юрист]", "ins": "[юристом]"},
        "cook": {"nom": "[повар]", "ins": "[поваром]"},
    },
    days=("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"),
    year="в [{y}] году",
    templates={
        "buy_p": _g("{p} купил{а} {obj_n} на рынке {city_loc} {day}."),
        "buy_obj": _g("{p} купил{а} {obj}."),
        "buy_hyper": _g("{p} купил{а} {hyper}."),
        "was_in_city": _g("{p} был{а} {city_loc} {day}."),
        "bought_nothing": _g("{p} ничего не купил{а} {day}."),
        "buy_count": _g("{p} купил{а} {obj_n} {day}."),
        "no_obj": _g("{p} не купил{а} {obj_gpl}."),
        "no_hyper": _g("{p} не купил{а} {hyper_neg}."),
        "stay_home": {"m": "{p} провёл весь день дома {day}.", "f": "{p} провела весь день дома {day}."},
        "buy_for_brother": _g("{p} купил{а} {obj} для своего брата."),
        "buy_bread": _g("{p} также купил{а} на рынке хлеб."),
        "no_bread": _g("{p} не купил{а} хлеба."),
        "travel_p": _g("{p} отправил{ся} {city_to} {veh} {day}."),
        "went_to": _g("{p} {day} побывал{а} {city_loc}."),
        "travelled_by": _g("{p} путешествовал{а} {veh}."),
        "not_home": _g("{p} не остал{ся} дома {day}."),
        "never_been": _g("{p} никогда не был{а} {city_loc}."),
        "travel_for_work": _g("{p} поехал{а} {city_to} по работе."),
        "visit_grandma": _g("{p} навестил{а} свою бабушку {city_loc}."),
        "not_alone": {"m": "{p} путешествовал не один.", "f": "{p} путешествовала не одна."},
        "cmp_p": "{p} на {k} сантиметров выше, чем {p2}.",
        "cmp_not_taller": "{p} не выше, чем {p2}.",
        "cmp_taller": "{p} выше, чем {p2}.",
        "cmp_shorter": "{p} ниже, чем {p2}.",
        "cmp_older": "{p} старше, чем {p2}.",
        "plays_basketball": "{p} играет в баскетбол.",
        "work_p": "{p} уже {k} лет работает {prof_ins} {city_loc}.",
        "is_prof": "{p} — {prof}.",
        "works_in_city": "{p} работает {city_loc}.",
        "work_count": "{p} уже {k} лет работает {city_loc}.",
        "never_worked_as": _g("{p} никогда не работал{а} {prof_ins}."),
        "started_last_month": _g("{p} начал{а} работать {prof_ins} в прошлом месяце."),
        "is_prof2_not_prof": "{p} — {prof2}, а не {prof}.",
        "likes_job": "{p} любит свою работу.",
        "lives_with_family": "{p} живёт {city_loc} вместе с семьёй.",
        "no_coffee": "{p} не пьёт кофе.",
        "ner_rain": "{day} {city_loc} весь день шёл дождь.",
        "ner_prices": "Цены на {obj} снова выросли {day}.",
        "ner_late": "{veh_late} на {k} минут {day}.",
        "ner_rain0": "{day} весь день шёл дождь.",
        "ner_buy": _g("{p_full} купил{а} {obj_n} {day}."),
        "ner_works": "{p_full} работает {org_at}.",
        "ner_lives": "{p_full} живёт {city_loc}.",
        "ner_office": "{org} открывает новый офис {city_loc}.",
        "ner_travel": _g("{p_full} отправил{ся} {city_to} {veh}."),
        "ner_works_in": "{p_full} работает {org_at} {city_loc}.",
        "ner_met": "{p_full} и {p2_full} встретились {city_loc} {day}.",
        "ner_city_big": "{city} — большой город.",
        "qa_born": _g("{p_full} родил{ся} {city_loc} {year}."),
        "qa_works": "{p} работает {prof_ins} {org_at}.",
        "qa_books": _g("{p} написал{а} {obj_n}."),
        "qa_travel": _g("{year2} {p} отправил{ся} {city2_to} {veh}."),
        "q_born_where": _g("Где родил{ся} {p_full}?"),
        "q_born_when": _g("В каком году родил{ся} {p_full}?"),
        "q_prof": "Кем работает {p}?",
        "q_org": "Где работает {p}?",
        "q_books": _g("Сколько книг написал{а} {p}?"),
        "q_travel_where": _g("Куда отправил{ся} {p} {year2}?"),
        "q_travel_how": _g("На чём {p} отправил{ся} {city2_to} {year2}?"),
    },
)
# fmt: on
