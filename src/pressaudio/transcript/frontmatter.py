"""YAML front matter at the top of a markdown transcript (`---` ... `---`).

Only the flat subset that transcript collections use is understood: `key: value` pairs whose
values are plain, 'single-quoted' or "double-quoted" scalars (double-quoted ones may run over
several lines, with YAML's escapes such as `\\_` for a no-break space and a trailing `\\`
joining lines), plus `|`/`>` block scalars. Nested mappings and lists are skipped. Anything
that does not parse leaves the text alone: the caller then treats those lines as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FrontMatter", "split_front_matter"]

_MAX_LINES = 200  # front matter longer than this is not front matter
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]{0,63})[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\u00a0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, str]  # key -> scalar value as text
    end_line: int  # 0-based index of the closing `---` line (body starts after it)


def split_front_matter(lines: list[str]) -> FrontMatter | None:
    """Parse front matter from the first lines, or None when there is none (or it is broken)."""
    if not lines or lines[0].strip() != "---":
        return None
    end = None
    for i in range(1, min(len(lines), _MAX_LINES)):
        if lines[i].rstrip() in ("---", "..."):
            end = i
            break
    if end is None:
        return None
    try:
        fields = _parse_mapping(lines[1:end])
    except ValueError:
        return None
    if fields is None:
        return None
    return FrontMatter(fields=fields, end_line=end)


def _parse_mapping(lines: list[str]) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    i = 0
    seen_key = False
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        if line[0] in " \t-":  # nested content or a list item: skip it
            if not seen_key:
                return None
            i += 1
            continue
        m = _KEY.match(line.rstrip())
        if m is None:
            return None
        seen_key = True
        key, value = m.group(1), (m.group(2) or "").strip()
        i += 1
        if value.startswith('"'):
            text, i = _double_quoted(value, lines, i)
        elif value.startswith("'"):
            text, i = _single_quoted(value, lines, i)
        elif value[:1] in ("|", ">"):
            text, i = _block(value[0], lines, i)
        else:
            parts = [_strip_comment(value)]
            while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip():
                parts.append(lines[i].strip())
                i += 1
            text = " ".join(p for p in parts if p)
        fields[key.lower()] = text
    return fields if seen_key else None


def _strip_comment(value: str) -> str:
    cut = value.find(" #")
    return value[:cut].rstrip() if cut >= 0 else value


def _double_quoted(first: str, lines: list[str], i: int) -> tuple[str, int]:
    raw_lines = [first[1:]]
    while True:
        if _closing_quote(raw_lines[-1]) >= 0:
            break
        if i >= len(lines):
            raise ValueError("unterminated double-quoted scalar")
        raw_lines.append(lines[i])
        i += 1
    out: list[str] = []
    pending_break = ""  # what joins the previous line to the next: " " or "\n"s or ""
    for n, raw in enumerate(raw_lines):
        seg = raw.lstrip(" \t") if n else raw
        end = _closing_quote(seg)
        last = end >= 0
        body = seg[:end] if last else seg
        if n and out is not None:
            out.append(pending_break)
        escaped_break = False
        if not last:
            stripped = body.rstrip(" \t")
            if stripped.endswith("\\") and not _odd_backslashes_before(stripped, len(stripped) - 1):
                body = stripped[:-1]
                escaped_break = True
            else:
                body = stripped
        out.append(_unescape(body))
        if not last:
            if escaped_break:
                pending_break = ""
            elif body == "" and n:
                pending_break = "\n"
            else:
                pending_break = " "
        else:
            break
    return "".join(out), i


def _odd_backslashes_before(s: str, pos: int) -> bool:
    """True when the backslash at `pos` is itself escaped by an odd run before it."""
    count = 0
    j = pos - 1
    while j >= 0 and s[j] == "\\":
        count += 1
        j -= 1
    return count % 2 == 1


def _closing_quote(s: str) -> int:
    j = 0
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == '"':
            return j
        j += 1
    return -1


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    out: list[str] = []
    j = 0
    while j < len(s):
        c = s[j]
        if c != "\\" or j + 1 >= len(s):
            out.append(c)
            j += 1
            continue
        e = s[j + 1]
        if e in _ESCAPES:
            out.append(_ESCAPES[e])
            j += 2
        elif e in _HEX_LEN:
            n = _HEX_LEN[e]
            digits = s[j + 2 : j + 2 + n]
            try:
                out.append(chr(int(digits, 16)))
                j += 2 + n
            except ValueError:
                out.append(e)
                j += 2
        else:
            out.append(e)
            j += 2
    return "".join(out)


def _single_quoted(first: str, lines: list[str], i: int) -> tuple[str, int]:
    parts = [first[1:]]
    while True:
        text = "\n".join(parts)
        j = 0
        while True:
            j = text.find("'", j)
            if j < 0:
                break
            if text[j + 1 : j + 2] == "'":
                j += 2
                continue
            folded = " ".join(p.strip() for p in text[:j].split("\n"))
            return folded.replace("''", "'"), i
        if i >= len(lines):
            raise ValueError("unterminated single-quoted scalar")
        parts.append(lines[i])
        i += 1


def _block(style: str, lines: list[str], i: int) -> tuple[str, int]:
    body: list[str] = []
    while i < len(lines) and (not lines[i].strip() or lines[i][:1] in (" ", "\t")):
        body.append(lines[i].strip())
        i += 1
    while body and not body[-1]:
        body.pop()
    return ("\n" if style == "|" else " ").join(body), i
