"""XTREME-R's MultiCheckList for QA: read ``checklist_templates.tsv``, fill its templates, score failure rates.

The file (google-research/xtreme ``multichecklist/checklist_templates.tsv``) holds six CheckList QA tests as
blocks of rows separated by blank rows: ``Name``, ``Capability``, ``Context`` rows, ``Question`` rows each
followed by its ``Answer`` row, then fill-in rows named after their slot (``adj``, ``state``, ``obj`` ...).
Column 1 is the row kind, then one column per language. A language whose translation varies with a fill-in
(gender, case, agreement) has several ``<lang>`` columns, each followed by ``<lang>-placeholders``: a comma list
of the *English* values (of some other slot, or English context templates) that this variant applies to.

Upstream (``generate_tests.py`` / ``generate_test_utils.py``) resolves those variants with per-language code
branches. Here the rule is generic, so it works for any column the file has: a placeholder tag belongs to the
slot whose English values contain it, and a variant is usable for a fill when, for every slot its tags mention,
the fill's English value of that slot is among them. Fill-ins are sampled as upstream does (names from
CheckList's own per-language lexicon, male names in the three tests whose templates are only in the masculine,
``p`` = two different properties of one object with a value each), and every (context, question) pair of a fill
becomes one QA example, like upstream's ``crossproduct``. Answers are located by tracking where each fill-in is
written into the context, never by searching for the string.
"""

from xlrobust.multichecklist.generation import Suite, generate_cases, generate_suite
from xlrobust.multichecklist.scoring import failure_rates
from xlrobust.multichecklist.spec import available_languages, file_column
from xlrobust.multichecklist.templates import (
    ANIMAL,
    ANIMAL2,
    COMPARISON,
    GENDER_MARKING_TESTS,
    INTENSIFIERS,
    PROFESSION,
    PROPERTIES,
    TEST_SHORT_NAMES,
    Row,
    Templates,
    TestBlock,
    Variant,
    load_templates,
)

__all__ = [
    "ANIMAL",
    "ANIMAL2",
    "COMPARISON",
    "GENDER_MARKING_TESTS",
    "INTENSIFIERS",
    "PROFESSION",
    "PROPERTIES",
    "TEST_SHORT_NAMES",
    "Row",
    "Suite",
    "Templates",
    "TestBlock",
    "Variant",
    "available_languages",
    "failure_rates",
    "file_column",
    "generate_cases",
    "generate_suite",
    "load_templates",
]
