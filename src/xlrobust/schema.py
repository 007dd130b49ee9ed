"""The params schema machinery: typed construction of config dataclasses from the parsed params.yaml, with
one-line errors that name the key (unknown keys with suggestions, wrong types, numbers YAML read as text, missing
keys) and small value checks shared by the sections in :mod:`xlrobust.config`."""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from typing import Any, TypeVar, Union

from xlrobust.errors import ConfigError

T = TypeVar("T")


def positive(value: float, key: str) -> None:
    if not value > 0:
        raise ConfigError(f"params: '{key}' must be > 0, got {value!r}")


def choice(value: str, allowed: tuple[str, ...], key: str) -> None:
    if value not in allowed:
        close = difflib.get_close_matches(str(value), allowed, n=2, cutoff=0.5)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise ConfigError(f"params: '{key}' is {value!r}{hint}; allowed: {', '.join(allowed)}")


def nonempty_unique(values: list[Any], key: str) -> None:
    if not values:
        raise ConfigError(f"params: '{key}' must not be empty")
    dup = sorted({v for v in values if values.count(v) > 1})
    if dup:
        raise ConfigError(f"params: '{key}' lists {', '.join(map(str, dup))} more than once")


def check_per_task(
    value: Any, key: str, allowed: tuple[str, ...], tasks: list[str] | None, *, nullable: bool = False
) -> None:
    """A positive number (``null`` too where ``nullable``) for every task, or a mapping task -> such a number that
    names every task of params ``tasks`` (e.g. ``data.sizes.test: {xnli: 128, panx: 64, tydiqa: 64}``)."""
    values = value if isinstance(value, dict) else {None: value}
    for task, number in values.items():
        if task is not None:
            choice(task, allowed, key)
        if number is None and nullable:
            continue
        positive(number, key if task is None else f"{key}.{task}")
    missing = [t for t in tasks or () if t not in value] if isinstance(value, dict) else []
    if missing:
        raise ConfigError(
            f"params: '{key}' has no value for task {missing[0]!r}; a per-task mapping names every task of "
            f"'tasks' ({', '.join(tasks or ())})"
        )


def for_task(value: Any, task: str) -> Any:
    """The value a (possibly per-task) setting takes for ``task``."""
    return value.get(task) if isinstance(value, dict) else value


_FULL_COMMIT = re.compile(r"[0-9a-f]{40}")
_HEX = re.compile(r"[0-9a-fA-F]{7,}")


def check_revisions(revisions: dict[str, str], allowed: tuple[str, ...], key: str) -> None:
    """``data.revisions``: known dataset keys; each value a branch or tag name (``main``, ``refs/convert/parquet``)
    or a full 40-hex commit id (the hub does not resolve an abbreviated one)."""
    for name, value in revisions.items():
        choice(name, allowed, key)
        if not value or any(c.isspace() for c in value):
            raise ConfigError(
                f"params: '{key}.{name}' is {value!r}; use a branch or tag (main, refs/convert/parquet) or a "
                "full 40-hex commit id"
            )
        if _HEX.fullmatch(value) and not _FULL_COMMIT.fullmatch(value):
            raise ConfigError(
                f"params: '{key}.{name}' {value!r} looks like a commit id but is not 40 lower-case hex digits "
                f"(it has {len(value)}); pin the full commit id"
            )


_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def _float_hint(value: str) -> str:
    """How to write the number that YAML 1.1 read as text: ``3e-4`` -> "write 0.0003 or 3.0e-4"."""
    number = float(value)
    mantissa, _, exponent = value.lower().partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"write {number!r} or {mantissa}e{int(exponent)}"


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def coerce(value: Any, tp: Any, key: str, complete: bool = False) -> Any:
    """Check ``value`` against the annotation ``tp`` (recursively); ints are accepted where floats are expected."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        # A mapping or list is checked against the alternative of its own kind first, so its error (which names
        # the inner key) is the one reported, not "must be int".
        if isinstance(value, (dict, list)):
            args = tuple(sorted(args, key=lambda a: typing.get_origin(a) is not type(value)))
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce(value, arg, key, complete)
            except ConfigError as e:
                errors.append(str(e))
        raise ConfigError(errors[0] if errors else f"params: '{key}' has an invalid value {value!r}")
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, key, complete=complete)
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"params: '{key}' must be a list, got {value!r}")
        (item_tp,) = typing.get_args(tp)
        return [coerce(v, item_tp, f"{key}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"params: '{key}' must be a mapping, got {value!r}")
        key_tp, val_tp = typing.get_args(tp)
        return {coerce(k, key_tp, key): coerce(v, val_tp, f"{key}.{k}") for k, v in value.items()}
    if tp is Any:
        return value
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp in (int, float) and isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        raise ConfigError(
            f"params: '{key}' is the text {value!r}: YAML reads a number in exponent notation "
            f"without a dot as a string; {_float_hint(value.strip())}"
        )
    if tp in (int, float) and isinstance(value, bool):
        raise ConfigError(f"params: '{key}' must be a number, got {value!r}")
    if isinstance(value, tp):
        return value
    raise ConfigError(f"params: '{key}' must be {_type_name(tp)}, got {value!r}")


def from_dict(cls: type[T], data: Any, key: str = "", *, complete: bool = False) -> T:
    """Build dataclass ``cls`` from a mapping, rejecting unknown keys and wrong types (errors name the key).

    ``complete``: every field must be given, in nested sections too (params.yaml is the source of every value).
    """
    where = key or "params.yaml"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"params: '{where}' must be a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    kwargs = {}
    for k, v in data.items():
        full = f"{key}.{k}" if key else str(k)
        if k not in names:
            close = difflib.get_close_matches(str(k), names, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"params: unknown key '{full}'{hint}; allowed in '{where}': {', '.join(names)}")
        kwargs[k] = coerce(v, hints[k], full, complete)
    if complete:
        missing = [n for n in names if n not in kwargs]
        if missing:
            where_in = f" in '{key}'" if key else ""
            raise ConfigError(
                f"params: key '{key + '.' if key else ''}{missing[0]}' is missing{where_in}; every "
                "key must be set in params.yaml (see the shipped params.yaml for its value)"
            )
    return cls(**kwargs)
