"""The built-in offline sample: small parallel multilingual NLI, NER and QA data plus unlabelled text.

Written natively per language from the project's own lexicons and templates (``languages/<code>.py``), never
machine-translated or copied from a dataset. Item i of a (task, split, n, seed) is the same underlying content,
id and label in every language, like XNLI; splits never share an underlying item; everything is a pure function
of the seed.
"""

from __future__ import annotations

from xlrobust.synthetic.corpus import generate_corpus
from xlrobust.synthetic.languages import SPECS
from xlrobust.synthetic.ner import generate_ner
from xlrobust.synthetic.nli import generate_nli
from xlrobust.synthetic.qa import generate_qa

SUPPORTED_LANGUAGES: frozenset[str] = frozenset(SPECS)

__all__ = ["SUPPORTED_LANGUAGES", "generate_corpus", "generate_ner", "generate_nli", "generate_qa"]
