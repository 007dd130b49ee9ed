"""xlrobust: fine-tuning language vs. zero-shot transfer and robustness of mT5."""

__version__ = "0.1.0"
