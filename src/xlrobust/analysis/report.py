"""The human-readable answer: one document model rendered to Markdown and to a self-contained HTML page.

The HTML embeds every figure as a base64 PNG and has inline CSS only (no scripts, no external references), so it
opens offline and can be attached anywhere; the Markdown links the PNG files next to it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Callout:
    """A prominent warning box (e.g. the smoke-scale notice)."""

    text: str


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Contents:
    """A table of contents: links to every level-2 heading of the document."""


@dataclass(frozen=True)
class Figure:
    caption: str
    png: bytes
    path: str  # relative to the Markdown file, for the Markdown link


Block = Heading | Paragraph | Callout | Bullets | Table | Figure | Contents


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def anchor(text: str) -> str:
    """The id of a heading, as GitHub derives it: lowercase, punctuation dropped, spaces as hyphens."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text.strip().lower()))


def _contents(doc: Document) -> list[Heading]:
    return [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document) -> str:
    """Render ``doc`` as GitHub-flavoured Markdown."""
    out = [f"# {doc.title}", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += [f"{'#' * max(2, b.level)} {b.text}", ""]
        elif isinstance(b, Paragraph):
            out += [b.text, ""]
        elif isinstance(b, Callout):
            out += [f"> **{b.text}**", ""]
        elif isinstance(b, Bullets):
            out += [f"- {item}" for item in b.items] + [""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.headers) + " |")
            out.append("|" + "|".join("---" for _ in b.headers) + "|")
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Figure):
            out += [f"![{_md_cell(b.caption)}]({b.path})", "", f"*{b.caption}*", ""]
        elif isinstance(b, Contents):
            out += ["Contents: " + " · ".join(f"[{h.text}](#{anchor(h.text)})" for h in _contents(doc)), ""]
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 72em; margin: 1em auto; padding: 0 1em; color: #222;
       line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.55em; text-align: left; }
th { background: #eee; }
.callout { border: 2px solid #c0392b; background: #fdecea; padding: 0.6em 1em; font-weight: bold; }
td { vertical-align: top; }
nav.toc { font-size: 0.9em; margin: 0 0 0.6em; } nav.toc a { margin-right: 0.9em; }
h1 { font-size: 1.5em; margin: 0.3em 0; } h2 { margin: 0.8em 0 0.3em; }
figure { margin: 1em 0; } figure img { max-width: 100%; } figcaption { font-size: 0.9em; color: #555; }
"""


def to_html(doc: Document) -> str:
    """Render ``doc`` as one self-contained HTML page (inline CSS, images as data: URIs)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
    ]
    for b in doc.blocks:
        if isinstance(b, Heading):
            level = min(6, max(2, b.level))
            parts.append(f'<h{level} id="{anchor(b.text)}">{e(b.text)}</h{level}>')
        elif isinstance(b, Contents):
            links = "".join(f'<a href="#{anchor(h.text)}">{e(h.text)}</a>' for h in _contents(doc))
            parts.append(f'<nav class="toc">Contents: {links}</nav>')
        elif isinstance(b, Paragraph):
            parts.append(f"<p>{e(b.text)}</p>")
        elif isinstance(b, Callout):
            parts.append(f'<p class="callout">{e(b.text)}</p>')
        elif isinstance(b, Bullets):
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{e(str(h))}</th>" for h in b.headers)
            body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in b.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            parts.append(
                f'<figure><img alt="{e(b.caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{e(b.caption)}</figcaption></figure>"
            )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
