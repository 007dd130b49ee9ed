"""Task registry: the one place that maps a task name in params.yaml to its module."""

from __future__ import annotations

import difflib

from xlrobust.errors import ConfigError
from xlrobust.tasks.base import Scored, Task, TextPair
from xlrobust.tasks.panx import PANXTask
from xlrobust.tasks.tydiqa import TyDiQATask
from xlrobust.tasks.xnli import XNLITask

REGISTRY: dict[str, Task] = {task.name: task for task in (XNLITask(), PANXTask(), TyDiQATask())}


def get_task(name: str) -> Task:
    """The registered task called ``name``; unknown names get a ConfigError with suggestions."""
    try:
        return REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(str(name), REGISTRY, n=2, cutoff=0.5)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise ConfigError(
            f"unknown task {name!r}.{hint} Registered: {', '.join(REGISTRY)} "
            "(see src/xlrobust/tasks/__init__.py)."
        ) from None


__all__ = ["REGISTRY", "Scored", "Task", "TextPair", "get_task"]
