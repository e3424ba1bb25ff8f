"""Short forms of the alias registry's Chinese names (screening/shortforms.py), on made-up
registry rows and made-up listed firms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chipbridge.screening import EntityType, Entry, Screener, cjk, lattice, shortforms
from chipbridge.screening.model import Alias


def company(entry_id: str, name: str, *aliases: str) -> Entry:
    return Entry(entry_id, "t", "Test", EntityType.COMPANY, name, tuple(Alias(a) for a in aliases))


# Forty unrelated firms, so that a test list's own words are rare and weigh as on a real list.
OTHERS = tuple(company(f"o{n}", f"Ortho{chr(97 + n % 26)}{n} Trading") for n in range(40))

# Made-up registry rows: (Chinese name, English names, source).
ROWS = (
    ("北京岚夸科技有限公司", ("Lanquor Technology Limited", "Lanquor"), "test"),
    ("岚夸科技", ("Lanquor Technology Limited", "Lanquor"), "test"),
    # Terms whose first characters each head that term alone: 液 | 兵 for 液压 | 兵器.
    ("中国液压兵器集团有限公司", ("Zorvanic Hydraulic Arms Group",), "test"),
    # 电 heads many terms (电子, 电力, 电气, ...): 电液 would read back to several names.
    ("中国电子液压集团有限公司", ("Quellbright Electro Hydraulics Group",), "test"),
    # Two parties whose names both yield 嵘枢.
    ("上海嵘枢科技有限公司", ("Ronshu Technology Co., Ltd.",), "test"),
    ("深圳嵘枢电子有限公司", ("Rongshu Electronics Co., Ltd.",), "test"),
    # 光明 (bright) is a common word of the dictionary.
    ("北京光明科技有限公司", ("Vexmira Technology Co., Ltd.",), "test"),
)
LISTED = (
    company("lanquor", "Lanquor Technology Limited"),
    company("zorvanic", "Zorvanic Hydraulic Arms Group Corporation"),
    company("quell", "Quellbright Electro Hydraulics Group"),
    company("ronshu", "Ronshu Technology Co., Ltd."),
    company("vexmira", "Vexmira Technology Co., Ltd."),
    *OTHERS,
)


def _clear() -> None:
    for cached in (
        shortforms.short_forms,
        lattice.registry_alternatives,
        lattice.registry_spellings,
        lattice.build,
    ):
        cached.cache_clear()


@pytest.fixture
def screener(monkeypatch: pytest.MonkeyPatch) -> Iterator[Screener]:
    monkeypatch.setattr(cjk, "registry", lambda: ROWS)
    _clear()
    yield Screener.from_entries(list(LISTED))
    monkeypatch.undo()
    _clear()


def _top(screener: Screener, query: str) -> str | None:
    hits = screener.screen(query)
    return hits[0].entry.id if hits else None


def test_a_trade_name_alone_is_a_short_form(screener: Screener) -> None:
    # 北京岚夸科技有限公司 is known as 岚夸: its trade name without place, industry and form.
    hits = screener.screen("岚夸")
    assert hits and hits[0].entry.id == "lanquor"
    assert "(short form of 北京岚夸科技有限公司)" in hits[0].reason
    # Weighed below the registry's own name.
    assert hits[0].score < screener.screen("岚夸科技")[0].score
    # With a place and a legal form around it, as registered names write them.
    assert _top(screener, "上海岚夸有限公司") == "lanquor"


def test_initials_of_a_name_made_of_terms(screener: Screener) -> None:
    # 液压 | 兵器 shortened to 液兵, with the group's descriptor or alone.
    assert shortforms.short_forms()["液兵"][0].meant == "中国液压兵器集团有限公司"
    assert _top(screener, "液兵集团") == "zorvanic"
    assert _top(screener, "液兵") == "zorvanic"


def test_initials_that_read_back_to_several_names_are_none(screener: Screener) -> None:
    # 电液: 电 heads 电子, 电力, 电气 ... (the positive half: 液兵 is a form).
    forms = shortforms.short_forms()
    assert "液兵" in forms
    assert _top(screener, "液兵集团") == "zorvanic"
    assert "电液" not in forms
    assert _top(screener, "电液集团") is None


def test_a_form_two_parties_share_is_none(screener: Screener) -> None:
    forms = shortforms.short_forms()
    assert _top(screener, "岚夸") == "lanquor"
    assert "嵘枢" not in forms
    assert _top(screener, "嵘枢") is None


def test_a_common_word_is_no_short_form(screener: Screener) -> None:
    forms = shortforms.short_forms()
    assert _top(screener, "岚夸") == "lanquor"
    assert "光明" not in forms
    assert _top(screener, "光明") is None


def test_a_query_that_says_more_than_the_short_form_is_not_flagged(screener: Screener) -> None:
    assert _top(screener, "岚夸") == "lanquor"
    # Another business (a bank), or a trade name that only begins with the form.
    assert _top(screener, "岚夸银行") is None
    assert _top(screener, "岚夸达科技有限公司") is None
    # The form inside another word of the query is not read.
    assert _top(screener, "蔚岚夸张") is None
