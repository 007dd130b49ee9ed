"""Registry of the languages the offline sample can write; one module per language."""

from __future__ import annotations

from xlrobust.errors import ConfigError
from xlrobust.synthetic._spec import LanguageSpec
from xlrobust.synthetic.languages import ar, bn, de, en, es, fi, hi, id, ru, sw

SPECS: dict[str, LanguageSpec] = {m.SPEC.code: m.SPEC for m in (ar, bn, de, en, es, fi, hi, id, ru, sw)}


def get_spec(lang: str) -> LanguageSpec:
    """The spec of ``lang``; an unsupported language is a ConfigError that says how to add it."""
    try:
        return SPECS[lang]
    except (KeyError, TypeError):
        raise ConfigError(
            f"the offline sample has no templates for language {lang!r} (it has: {', '.join(sorted(SPECS))}). "
            f"To add it, write src/xlrobust/synthetic/languages/{lang}.py defining SPEC (copy en.py and "
            "translate its lexicon and templates) and register it in src/xlrobust/synthetic/languages/__init__.py"
            "; or use real data for this language."
        ) from None
