"""The name inside what a supplier file writes around it.

Names reach a screen from contracts, invoices and ERP exports, which write more than the
name: a field's label before it (客户：, 收货单位：) or another field after it (地址：), a
note in brackets after it (an address, a nickname, a former name: （原名：中国移动通信集团公司）),
a code glued to its legal form (有限公司123). Read whole, those words weigh as the name's
own, and a listed name found whole in the rest clears. The screener therefore also screens
the name without them, and the other name a bracket introduces as a name of its own
(:func:`readings`), each as a spelling whose hits say what was left out.

Only what the text's shape marks is taken off: a short label ended by a colon, and what
follows another such label; a bracket closing the name that says no place (a place in
brackets is a regional arm's, read by :mod:`branches` and :mod:`qualifiers`); Latin letters
and digits after a Chinese legal form. A Latin name's bracket is its own unless it opens
with a word that introduces another name ("formerly"): "Huawei Technologies (Shenzhen)"
says which arm.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from chipbridge.screening import cjk

# A label: at most MAX_LABEL_HAN Chinese characters, then a colon. A Latin name's colon is
# often its own ("Department of Atomic Energy entity: Indira Gandhi Centre", as lists write
# a body's unit), so only a label in Chinese is read as one.
MAX_LABEL_HAN = 6
# A label after other text, past a space or a separator: where another field begins.
_FIELD = re.compile(r"(?<=[ ,，;；])([^\s:：,，;；]+) ?[:：]")
_OPENING, _CLOSING = "（(", "）)"
# Invisible format characters a copied cell may carry (zero-width spaces and joiners,
# direction marks, a byte-order mark, a soft hyphen).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# The last Chinese character of a text and what follows it.
_LAST_HAN = re.compile(f"[{cjk.HAN_CHARS}][^{cjk.HAN_CHARS}]*$")
# Words that introduce another name of the same party (the longer first: 英文名称 before
# 英文名), and the name after them.
_OTHER_NAME = re.compile(
    r"^(?:曾用名|英文名称|英文名|原名|旧名|又名|别名|简称|现名|"
    r"(?:formerly(?: known as)?|f/?k/?a|a/?k/?a|also known as|previously)\b)"
    r" ?[:：]? ?([^\s:：].*)$",
    re.IGNORECASE,
)


def readings(text: str) -> list[tuple[str, str]]:
    """(the name, the rule saying what was left out) for each name ``text`` holds inside a
    label, a closing note or a trailing code; nothing when it holds none. Chained: a
    labelled name's closing note is left out too. Spaces are read collapsed, and invisible
    format characters (a zero-width space) not at all."""
    name = " ".join(_INVISIBLE.sub("", text).split())
    out: list[tuple[str, str]] = []
    rules: list[str] = []

    def leave_out(inner: str, rule: str) -> None:
        nonlocal name
        name = inner
        rules.append(rule)
        out.append((name, "; ".join(rules)))

    labelled = _label(name)
    if labelled is not None:
        leave_out(labelled[0], f"label {labelled[1]!r} left out")
    # The next field first: the name's own closing note comes before it (X（原名：Y） 地址：…).
    field = _next_field(name)
    if field is not None:
        leave_out(field[0], f"field {field[1]!r} after the name left out")
    closing = closing_bracket(name)
    if closing is not None:
        before, note = closing
        other = _OTHER_NAME.match(unicodedata.normalize("NFKC", note))
        if other is not None:
            out.append((other.group(1), "; ".join([*rules, f"other name in brackets: {note}"])))
        if other is not None or (cjk.has_han(before) and not _is_place(note)):
            leave_out(before, f"bracketed note {note!r} left out")
    coded = _trailing_code(name)
    if coded is not None:
        leave_out(coded[0], f"{coded[1]!r} after the legal form left out")
    return out


def closing_bracket(text: str) -> tuple[str, str] | None:
    """(what comes before, what is inside) when a bracket, full-width or ASCII, closes
    ``text`` and something comes before it; else None. Found by scanning, not by a pattern
    whose backtracking a long run of spaces makes slow."""
    text = text.rstrip()
    if not text or text[-1] not in _CLOSING:
        return None
    start = max(text.rfind(bracket) for bracket in _OPENING)
    note = text[start + 1 : -1].strip()
    before = text[:start].strip()
    if start < 0 or not note or not before or any(ch in _CLOSING for ch in note):
        return None
    return before, note


def _label(text: str) -> tuple[str, str] | None:
    """(the rest, the label) when ``text`` opens with a short label ended by a colon."""
    cut = min((i for i in (text.find(":"), text.find("：")) if i >= 0), default=-1)
    if cut < 0:
        return None
    label, rest = text[:cut].strip(), text[cut + 1 :].strip()
    short = 0 < len(label) <= MAX_LABEL_HAN and "".join(cjk.han_runs(label)) == label
    return (rest, label) if short and any(ch.isalnum() for ch in rest) else None


def _next_field(text: str) -> tuple[str, str] | None:
    """(the name, the label) when another field's label follows the name (大连海博货运有限公司
    地址：辽宁省大连市): the name ends where that field begins."""
    for found in _FIELD.finditer(text):
        name = text[: found.start()].strip(" ,，;；")
        if name and _label(text[found.start() :]) is not None:
            return name, found.group(1)
    return None


def _trailing_code(text: str) -> tuple[str, str] | None:
    """(the name, the code) when Latin letters or digits follow a Chinese legal form that
    ends the name's characters (有限公司１２３, 有限公司 No.5)."""
    last = _LAST_HAN.search(text)
    if last is None:
        return None
    end = last.start() + 1
    tail = text[end:].strip()
    if not any(ch.isalnum() for ch in tail):
        return None
    written = cjk.to_simplified("".join(cjk.han_runs(text[:end])))
    if not any(written.endswith(form) for form in _legal_forms()):
        return None
    return text[:end].strip(), tail


@cache
def _legal_forms() -> tuple[str, ...]:
    """The glossary's Chinese legal forms that end a registered name (公司, 有限公司)."""
    return tuple(form for form in cjk.glossary()["legal_forms"] if form.endswith("公司"))


def _is_place(note: str) -> bool:
    """Whether a bracket says a place the glossary names (香港, 德国)."""
    return cjk.to_simplified(note) in cjk.glossary()["places"]
