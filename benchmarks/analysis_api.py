"""The analysis code the calibration benchmark runs (``xlrobust.analysis``): the one place that names it.
Only these names are used."""

from xlrobust.analysis.correlations import correlation_table
from xlrobust.analysis.differences import source_difference
from xlrobust.analysis.loading import TaskData

__all__ = ["TaskData", "correlation_table", "source_difference"]
