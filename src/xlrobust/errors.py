"""User-facing errors: one actionable line, never a traceback.

Stage scripts catch :class:`XLRobustError` and print ``error: <message>`` before exiting with status 2, so
everything raised as this class must already say what is wrong, where (file, line, key) and how to fix it.
"""


class XLRobustError(Exception):
    """An input or configuration problem the user can fix; its message is shown as is."""


class ConfigError(XLRobustError):
    """A bad value in params.yaml (or in a config built from it)."""


class DataError(XLRobustError):
    """A bad or missing data file, line or field."""


class ModelError(XLRobustError):
    """A model or tokenizer that cannot be loaded or that failed during training."""
