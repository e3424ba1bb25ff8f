"""What a supplier file writes around a name: labels, closing notes, codes (made-up names)."""

from __future__ import annotations

import pytest

from chipbridge.screening import EntityType, Entry, Screener, surround

FIRM = "青岚海运有限公司"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"收货人：{FIRM}", FIRM),
        (f"{FIRM}１２３", FIRM),
        (f"{FIRM} 地址：浙江省某市某路1号", FIRM),
        (f"{FIRM}（浙江省某市某路1号）", FIRM),
        (f"{FIRM}（原名：岚青船务公司）", "岚青船务公司"),
        ("Lanqing Marine Ltd (formerly Qinglan Trading)", "Qinglan Trading"),
        ("青 岚 海 运 有 限 公 司 １２３", "青 岚 海 运 有 限 公 司"),  # spaced out
        (f"{FIRM}（英文名称：Qinglan Shipping Co Ltd）", "Qinglan Shipping Co Ltd"),
        (f"\u200b客户：{FIRM}\u3000", FIRM),  # a zero-width space, an ideographic one
        # the name's own note, then the next field
        (f"{FIRM}（原名：岚青船务公司） 地址：浙江省某市某路1号", FIRM),
        (f"{FIRM}（原名：岚青船务公司） 地址：浙江省某市某路1号", "岚青船务公司"),
    ],
)
def test_the_name_inside(text: str, name: str) -> None:
    assert name in [inner for inner, _ in surround.readings(text)]


@pytest.mark.parametrize(
    "text",
    [
        FIRM,
        "青岚海运（香港）有限公司",  # a regional arm's place, read by branches
        "青岚海运有限公司（香港）",
        "Qinglan Marine (Shenzhen) Ltd",  # a Latin name's bracket is its own
        "Ministry of Energy entity: Qinglan Research Center",  # a Latin colon too
        "Novosibirsk Institute of Physics (Akademgorodok)",  # no "aka" inside a word
        "：",
        "（）",
        "客户：",
    ],
)
def test_nothing_is_taken_off_a_name(text: str) -> None:
    assert surround.readings(text) == []


def test_a_listed_firm_inside_a_supplier_files_text_is_found() -> None:
    others = [
        Entry(f"o{n}", "t", "Test", EntityType.COMPANY, f"Ortho{chr(97 + n % 26)}{n} Trading")
        for n in range(40)
    ]
    listed = Entry("q", "t", "Test", EntityType.COMPANY, "QINGLAN SHIPPING CO LTD")
    screener = Screener.from_entries([listed, *others])
    for text in (
        f"承运人：{FIRM}",
        f"{FIRM}（浙江省宁波市江北区某某路1号某某大厦十二楼）",
        f"{FIRM}（原名：青岚海运集团公司）",
    ):
        hits = screener.screen(text)
        assert hits and hits[0].entry.id == "q", text
        assert "left out" in hits[0].reason or "other name" in hits[0].reason


def test_an_empty_former_name_is_no_name() -> None:
    assert [name for name, _ in surround.readings(f"{FIRM}（原名：）")] == [FIRM]
