"""Span edits on a text and the offset arithmetic that keeps QA answer spans right after them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    new: str


Span = tuple[int, int]


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def crosses(edit: Span, span: Span) -> bool:
    """``edit`` overlaps ``span`` without lying inside it (it would cut the span's boundary)."""
    inside = span[0] <= edit[0] and edit[1] <= span[1]
    return overlaps(edit, span) and not inside


def merge_spans(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping ``edits`` (any order)."""
    parts, pos = [], 0
    for ed in sorted(edits, key=lambda x: x.start):
        if ed.start < pos:
            raise ValueError(f"overlapping edits at {ed.start}")
        parts.append(text[pos : ed.start])
        parts.append(ed.new)
        pos = ed.end
    parts.append(text[pos:])
    return "".join(parts)


def map_span(span: Span, edits: list[Edit]) -> Span:
    """Where ``span`` lies after ``edits``, which must not cross it. Edits ending at or before the start shift
    it (an insertion at the start goes before the span); edits inside change its length; an insertion exactly
    at the end of a non-empty span goes after it."""
    start, end = span

    def delta(ed: Edit) -> int:
        return len(ed.new) - (ed.end - ed.start)

    new_start = start + sum(delta(ed) for ed in edits if ed.end <= start)
    new_end = end + sum(
        delta(ed) for ed in edits if ed.end <= end and not (ed.start == ed.end == end and end > start)
    )
    return new_start, new_end
