"""English lexicon and templates; the annotated model for adding a language.

Slots in templates: {p}/{p2} first names, {p_full} first name + surname, {city}/{city2}, {org}, {obj} (bare
plural), {obj_n} ("3 apples" with the frame's n), {hyper} (the object's hypernym), {veh}, {prof}/{prof2}, {day},
{year}/{year2}, {k}; "{role}_{form}" picks another form of an entry (e.g. {veh_late}). A template is a string or
{"m": ..., "f": ...} chosen by the gender of its subject. "[...]" in a form marks its head (the entity or answer
span). NLI hypotheses reuse templates on a changed frame (nli.py), so templates state facts, not labels.
"""

from xlrobust.synthetic._spec import LanguageSpec

_F = {"m": "his", "f": "her"}


def _g(template: str) -> dict[str, str]:
    """Masculine/feminine variants of a template that says "{her}"."""
    return {g: template.replace("{her}", word) for g, word in _F.items()}


# fmt: off
SPEC = LanguageSpec(
    code="en",
    female=("Emma", "Olivia", "Sophie", "Grace", "Emily", "Hannah", "Lucy", "Chloe", "Sarah", "Laura",
            "Megan", "Alice"),
    male=("James", "Thomas", "Daniel", "Oliver", "Jack", "William", "Harry", "George", "Samuel", "Joseph",
          "Michael", "David"),
    surnames=("Smith", "Johnson", "Taylor", "Brown", "Wilson", "Davies", "Evans", "Walker", "Wright",
              "Thompson", "Hughes", "Clarke"),
    cities=("London", "Manchester", "Leeds", "Liverpool", "Bristol", "Sheffield", "Newcastle", "Birmingham",
            "Nottingham", "Leicester", "Cardiff", "Edinburgh", "Glasgow", "Oxford", "Cambridge", "Brighton",
            "York", "New York", "Los Angeles", "Chicago"),
    orgs=("Microsoft", "Google", "Amazon", "Barclays", "Tesco", "Unilever", "Boeing", "Rolls-Royce",
          "Vodafone", "Oxford University", "Harvard University", "General Motors", "British Airways",
          "Marks & Spencer", "Goldman Sachs", "Lloyds Bank"),
    objects={
        "apple": {"pl": "apples", "count": "[{n}] apples"},
        "orange": {"pl": "oranges", "count": "[{n}] oranges"},
        "banana": {"pl": "bananas", "count": "[{n}] bananas"},
        "mango": {"pl": "mangoes", "count": "[{n}] mangoes"},
        "tomato": {"pl": "tomatoes", "count": "[{n}] tomatoes"},
        "onion": {"pl": "onions", "count": "[{n}] onions"},
        "book": {"pl": "books", "count": "[{n}] books"},
        "shirt": {"pl": "shirts", "count": "[{n}] shirts"},
    },
    hypernyms={"fruit": {"pl": "fruit"}, "vegetable": {"pl": "vegetables"}, "clothes": {"pl": "clothes"}},
    vehicles={
        "train": {"by": "by [train]", "late": "the train arrived"},
        "bus": {"by": "by [bus]", "late": "the bus arrived"},
        "plane": {"by": "by [plane]", "late": "the plane arrived"},
        "car": {"by": "by [car]", "late": "the car arrived"},
    },
    professions={
        "doctor": {"a": "a [doctor]"},
        "teacher": {"a": "a [teacher]"},
        "engineer": {"a": "an [engineer]"},
        "journalist": {"a": "a [journalist]"},
        "lawyer": {"a": "a [lawyer]"},
        "cook": {"a": "a [cook]"},
    },
    days=("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"),
    year="in [{y}]",
    templates={
        # NLI: purchase
        "buy_p": "{p} bought {obj_n} at the market in {city} {day}.",
        "buy_obj": "{p} bought {obj}.",
        "buy_hyper": "{p} bought some {hyper}.",
        "was_in_city": "{p} was in {city} {day}.",
        "bought_nothing": "{p} did not buy anything {day}.",
        "buy_count": "{p} bought {obj_n} {day}.",
        "no_obj": "{p} did not buy any {obj}.",
        "no_hyper": "{p} did not buy any {hyper}.",
        "stay_home": "{p} stayed at home all day {day}.",
        "buy_for_brother": _g("{p} bought {obj} for {her} brother."),
        "buy_bread": "{p} also bought some bread at the market.",
        "no_bread": "{p} did not buy any bread.",
        # NLI: travel
        "travel_p": "{p} travelled to {city} {veh} {day}.",
        "went_to": "{p} went to {city} {day}.",
        "travelled_by": "{p} travelled {veh}.",
        "not_home": "{p} did not stay at home {day}.",
        "never_been": "{p} has never been to {city}.",
        "travel_for_work": "{p} travelled to {city} for work.",
        "visit_grandma": _g("{p} visited {her} grandmother in {city}."),
        "not_alone": "{p} did not travel alone.",
        # NLI: comparison (role swap, converse, antonym)
        "cmp_p": "{p} is {k} centimetres taller than {p2}.",
        "cmp_not_taller": "{p} is not taller than {p2}.",
        "cmp_taller": "{p} is taller than {p2}.",
        "cmp_shorter": "{p} is shorter than {p2}.",
        "cmp_older": "{p} is older than {p2}.",
        "plays_basketball": "{p} plays basketball.",
        # NLI: work
        "work_p": "{p} has worked as {prof} in {city} for {k} years.",
        "is_prof": "{p} is {prof}.",
        "works_in_city": "{p} works in {city}.",
        "work_count": "{p} has worked in {city} for {k} years.",
        "never_worked_as": "{p} has never worked as {prof}.",
        "started_last_month": "{p} started working as {prof} last month.",
        "is_prof2_not_prof": "{p} is {prof2}, not {prof}.",
        "likes_job": _g("{p} likes {her} job."),
        "lives_with_family": _g("{p} lives in {city} with {her} family."),
        "no_coffee": "{p} does not drink coffee.",
        # NER
        "ner_rain": "It rained all day in {city} {day}.",
        "ner_prices": "The price of {obj} rose again {day}.",
        "ner_late": "{veh_late} {k} minutes late {day}.",
        "ner_rain0": "It rained all day {day}.",
        "ner_buy": "{p_full} bought {obj_n} {day}.",
        "ner_works": "{p_full} works at {org}.",
        "ner_lives": "{p_full} lives in {city}.",
        "ner_office": "{org} opened a new office in {city}.",
        "ner_travel": "{p_full} travelled to {city} {veh}.",
        "ner_works_in": "{p_full} works at {org} in {city}.",
        "ner_met": "{p_full} and {p2_full} met in {city} {day}.",
        "ner_city_big": "{city} is a large city.",
        # QA paragraphs and questions
        "qa_born": "{p_full} was born in {city} {year}.",
        "qa_works": "{p} works as {prof} at {org}.",
        "qa_books": "{p} has written {obj_n}.",
        "qa_travel": "{year2}, {p} travelled to {city2} {veh}.",
        "q_born_where": "Where was {p_full} born?",
        "q_born_when": "In which year was {p_full} born?",
        "q_prof": "What does {p} do for a living?",
        "q_org": "Where does {p} work?",
        "q_books": "How many books has {p} written?",
        "q_travel_where": "Where did {p} travel {year2}?",
        "q_travel_how": "How did {p} travel to {city2} {year2}?",
    },
)
# fmt: on
