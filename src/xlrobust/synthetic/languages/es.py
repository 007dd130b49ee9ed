"""Spanish lexicon and templates (adjectives and professions agree with the subject's gender)."""

from xlrobust.synthetic._spec import Frame, LanguageSpec


def _g(template: str) -> dict[str, str]:
    """Variants for a template whose adjectives are written as {o} (masculine -o, feminine -a)."""
    return {"m": template.replace("{o}", "o"), "f": template.replace("{o}", "a")}


def _org(subj: str, at: str) -> dict[str, str]:
    return {"subj": subj, "en": at}


def _extra(spec: LanguageSpec, frame: Frame) -> dict[str, str]:
    """'y' becomes 'e' before a word starting with the sound /i/ (María e Isabel)."""
    second = spec.person(frame["p2"])  # type: ignore[arg-type]
    starts_i = second[:1] in "IÍ" or (second[:2] == "Hi" and second[:3] != "Hie")
    return {"p2_and": "e" if starts_i else "y"}


# fmt: off
SPEC = LanguageSpec(
    code="es",
    female=("María", "Lucía", "Carmen", "Sofía", "Laura", "Elena", "Paula", "Marta", "Ana", "Isabel",
            "Cristina", "Raquel"),
    male=("Pablo", "Javier", "Carlos", "Alejandro", "Daniel", "Miguel", "Sergio", "Jorge", "Manuel", "David",
          "Antonio", "Diego"),
    surnames=("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
              "Gómez", "Martín", "Jiménez", "Ruiz"),
    cities=("Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Granada",
            "Salamanca", "Toledo", "Córdoba", "Valladolid", "Alicante", "Santander", "Oviedo", "Cádiz",
            "San Sebastián", "Las Palmas", "Buenos Aires", "Bogotá"),
    orgs=(
        "Microsoft",  # 0-2: shared international companies (see _spec.SHARED_ORGS)
        "Google",
        "Amazon",
        "Inditex",
        "Mercadona",
        "Banco Santander",
        "BBVA",
        "Mapfre",
        "El Corte Inglés",
        "Renfe",
        "Indra",
        "Seat",
        _org("el [Real Madrid]", "en el [Real Madrid]"),
        _org("la [Universidad de Salamanca]", "en la [Universidad de Salamanca]"),
        _org("la [Universidad Complutense]", "en la [Universidad Complutense]"),
        _org("la [Cruz Roja]", "en la [Cruz Roja]"),
    ),
    org_forms={"subj": "[{}]", "en": "en [{}]"},
    objects={
        "apple": {"pl": "manzanas", "def": "las manzanas", "count": "[{n}] manzanas"},
        "orange": {"pl": "naranjas", "def": "las naranjas", "count": "[{n}] naranjas"},
        "banana": {"pl": "plátanos", "def": "los plátanos", "count": "[{n}] plátanos"},
        "mango": {"pl": "mangos", "def": "los mangos", "count": "[{n}] mangos"},
        "tomato": {"pl": "tomates", "def": "los tomates", "count": "[{n}] tomates"},
        "onion": {"pl": "cebollas", "def": "las cebollas", "count": "[{n}] cebollas"},
        "book": {"pl": "libros", "def": "los libros", "count": "[{n}] libros"},
        "shirt": {"pl": "camisas", "def": "las camisas", "count": "[{n}] camisas"},
    },
    hypernyms={"fruit": {"bare": "fruta"}, "vegetable": {"bare": "verduras"}, "clothes": {"bare": "ropa"}},
    vehicles={
        "train": {"en": "en [tren]", "late": "el tren llegó"},
        "bus": {"en": "en [autobús]", "late": "el autobús llegó"},
        "plane": {"en": "en [avión]", "late": "el avión llegó"},
        "car": {"en": "en [coche]", "late": "el coche llegó"},
    },
    professions={
        "doctor": {"nom": ("[médico]", "[médica]")},
        "teacher": {"nom": ("[profesor]", "[profesora]")},
        "engineer": {"nom": ("[ingeniero]", "[ingeniera]")},
        "journalist": {"nom": ("[periodista]", "[periodista]")},
        "lawyer": {"nom": ("[abogado]", "[abogada]")},
        "cook": {"nom": ("[cocinero]", "[cocinera]")},
    },
    days=("el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado", "el domingo"),
    year="en [{y}]",
    extra_slots=_extra,
    templates={
        "buy_p": "{p} compró {obj_n} en el mercado de {city} {day}.",
        "buy_obj": "{p} compró {obj}.",
        "buy_hyper": "{p} compró {hyper}.",
        "was_in_city": "{p} estuvo en {city} {day}.",
        "bought_nothing": "{p} no compró nada {day}.",
        "buy_count": "{p} compró {obj_n} {day}.",
        "no_obj": "{p} no compró {obj}.",
        "no_hyper": "{p} no compró nada de {hyper}.",
        "stay_home": "{p} se quedó en casa todo el día {day}.",
        "buy_for_brother": "{p} compró {obj} para su hermano.",
        "buy_bread": "{p} también compró pan en el mercado.",
        "no_bread": "{p} no compró pan.",
        "travel_p": "{p} viajó a {city} {veh} {day}.",
        "went_to": "{p} fue a {city} {day}.",
        "travelled_by": "{p} viajó {veh}.",
        "not_home": "{p} no se quedó en casa {day}.",
        "never_been": "{p} nunca ha estado en {city}.",
        "travel_for_work": "{p} viajó a {city} por trabajo.",
        "visit_grandma": "{p} visitó a su abuela en {city}.",
        "not_alone": _g("{p} no viajó sol{o}."),
        "cmp_p": _g("{p} es {k} centímetros más alt{o} que {p2}."),
        "cmp_not_taller": _g("{p} no es más alt{o} que {p2}."),
        "cmp_taller": _g("{p} es más alt{o} que {p2}."),
        "cmp_shorter": _g("{p} es más baj{o} que {p2}."),
        "cmp_older": "{p} es mayor que {p2}.",
        "plays_basketball": "{p} juega al baloncesto.",
        "work_p": "{p} lleva {k} años trabajando como {prof} en {city}.",
        "is_prof": "{p} es {prof}.",
        "works_in_city": "{p} trabaja en {city}.",
        "work_count": "{p} lleva {k} años trabajando en {city}.",
        "never_worked_as": "{p} nunca ha trabajado como {prof}.",
        "started_last_month": "{p} empezó a trabajar como {prof} el mes pasado.",
        "is_prof2_not_prof": "{p} es {prof2}, no {prof}.",
        "likes_job": "A {p} le gusta su trabajo.",
        "lives_with_family": "{p} vive en {city} con su familia.",
        "no_coffee": "{p} no bebe café.",
        "ner_rain": "En {city} llovió todo el día {day}.",
        "ner_prices": "El precio de {obj_def} volvió a subir {day}.",
        "ner_late": "{veh_late} con {k} minutos de retraso {day}.",
        "ner_rain0": "{day} llovió todo el día.",
        "ner_buy": "{p_full} compró {obj_n} {day}.",
        "ner_works": "{p_full} trabaja {org_en}.",
        "ner_lives": "{p_full} vive en {city}.",
        "ner_office": "{org_subj} abrió una nueva oficina en {city}.",
        "ner_travel": "{p_full} viajó a {city} {veh}.",
        "ner_works_in": "{p_full} trabaja {org_en} en {city}.",
        "ner_met": "{p_full} {p2_and} {p2_full} se reunieron en {city} {day}.",
        "ner_city_big": "{city} es una ciudad grande.",
        "qa_born": "{p_full} nació en {city} {year}.",
        "qa_works": "{p} trabaja como {prof} {org_en}.",
        "qa_books": "{p} ha escrito {obj_n}.",
        "qa_travel": "{year2}, {p} viajó a {city2} {veh}.",
        "q_born_where": "¿Dónde nació {p_full}?",
        "q_born_when": "¿En qué año nació {p_full}?",
        "q_prof": "¿En qué trabaja {p}?",
        "q_org": "¿Dónde trabaja {p}?",
        "q_books": "¿Cuántos libros ha escrito {p}?",
        "q_travel_where": "¿Adónde viajó {p} {year2}?",
        "q_travel_how": "¿Cómo viajó {p} a {city2} {year2}?",
    },
)
# fmt: on
