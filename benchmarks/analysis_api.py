"""The analysis code the calibration benchmark runs: the one place to re-point when correlate.py moves into the
``xlrobust.analysis`` package (issue #10). Only these names are used."""

from xlrobust.correlate import TaskData, correlation_table, source_difference

__all__ = ["TaskData", "correlation_table", "source_difference"]
