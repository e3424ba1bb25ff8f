"""A Chinese branch's or regional company's name -> the registered name of the firm it extends.

A branch of a Chinese firm registers under the firm's full name followed by where it stands
and what it is: 华为技术有限公司深圳分公司 (Shenzhen branch), 中航电测仪器股份有限公司北京办事处
(Beijing office). A regional company puts its place in brackets before the legal form:
中航光电科技（香港）有限公司. Lists name the firm, not its branches, so the branch's name says
the listed name and more; read whole, the added place and unit weigh as much as the firm's
own words, and the branch of a listed firm could clear. The screener therefore also screens
the firm's name the branch extends (:func:`parent_name`), as a spelling of its own whose hits
carry the words left out, in the same way a Latin name's added "Shenzhen Branch" weighs
little beside the listed name (:mod:`qualifiers`).

Only places and units of an organisation are left out, and only where the name's shape says
they were added: after the firm's legal form; after its own words, a place with a unit that
makes a body part of another (深圳分公司, 北京办事处); or a place in brackets. A centre (中心),
a laboratory (实验室) or a factory (工厂) may be the body itself: 国家超级计算天津中心 is not a
Tianjin centre of 国家超级计算.
"""

from __future__ import annotations

import re
from functools import cache

from chipbridge.screening import cjk, lattice
from chipbridge.screening.qualifiers import PART_WORDS

# A bracketed insertion, full-width or ASCII: 中航光电科技（香港）有限公司.
# The insertion ends with no space, so the pattern has one way to match (a lazy group before
# optional spaces backtracks over a long run of them).
_BRACKETED = re.compile(r" *[（(] *([^（）()\s](?:[^（）()]*[^（）()\s])?) *[）)] *")


@cache
def _places() -> frozenset[str]:
    """Every place the glossary names (cities, provinces, countries in Chinese)."""
    return frozenset(cjk.glossary()["places"])


@cache
def _endings() -> frozenset[str]:
    """The places and the units of an organisation the glossary names: what a branch's name
    may end with (深圳, 分公司)."""
    units = {
        term
        for term, alternatives in lattice.glossary_alternatives().items()
        if any(map(lattice.unit_reading, alternatives))
    }
    return _places() | frozenset(units)


def parent_name(text: str) -> tuple[str, str] | None:
    """(the name of the firm a branch or regional company belongs to, the words it adds),
    or None when ``text`` is no such name. The text is read in simplified characters, as the
    lattice reads it; a name in more than one script is left as it is."""
    if not cjk.has_han(text) or cjk.script_parts(text):
        return None
    name = " ".join(cjk.to_simplified(text).split())
    added: list[str] = []
    # A bracketed place, with the firm's own words before it.
    for found in _BRACKETED.finditer(name):
        if found.group(1) in _places() and cjk.has_han(name[: found.start()]):
            added.append(f"（{found.group(1)}）")
            name = name[: found.start()] + name[found.end() :]
            break
    suffix = _branch_suffix(name)
    if suffix:
        added.append(suffix)
        name = name.removesuffix(suffix)
    return (name, " ".join(added)) if added else None


def _branch_suffix(name: str) -> str:
    """The places and units a branch's name ends with (深圳分公司), or "" when it ends with
    none, or, where no legal form comes before them, with ones that may be the body's own: a
    place alone, a unit alone, a centre or a factory. Only a name of Chinese characters
    alone is read."""
    if lattice.characters(name) != (name,) or not any(
        name[-size:] in _endings() for size in range(1, len(name))
    ):
        return ""  # most names end with neither: their lattice is not built for this
    path = lattice.build(name, False).path
    start = len(path)
    while start > 0 and lattice.qualifier(path[start - 1]):
        start -= 1
    # A factory or centre opening the run is the body's own kind (西安航天发动机厂 | 深圳分公司:
    # the branch is of the engine factory), as the run's place and branch are not.
    while (
        start < len(path) - 1
        and lattice.unit(path[start])
        and not lattice.is_place(path[start])
        and not _part_of_another(path[start])
    ):
        start += 1
    run = path[start:]
    own = [s for s in path[:start] if not s.legal and not lattice.qualifier(s)]
    if not run or not own:
        return ""
    added = path[start - 1].legal or (
        any(lattice.is_place(s) for s in run) and any(_part_of_another(s) for s in run)
    )
    return name[run[0].start :] if added else ""


def _part_of_another(segment: lattice.Segment) -> bool:
    """Whether a unit makes a body part of another (分公司 branch, 办事处 office), as a centre
    (中心) or a factory (工厂) need not: the glossary translates it to such words."""
    return lattice.unit(segment) and any(
        a.source == "glossary" and PART_WORDS.intersection(a.words) for a in segment.alternatives
    )
