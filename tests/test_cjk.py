"""Chinese names: scripts, readings, segmentation, and both sides of the working group."""

from __future__ import annotations

import pytest

from chipbridge.screening import EntityType, Entry, Screener, cjk
from chipbridge.screening.cjk import (
    latinise,
    script_parts,
    segment_company,
    to_simplified,
    wade_giles_readings,
    wade_giles_table,
)
from chipbridge.screening.normalize import analyse
from chipbridge.screening.sources import builtin


@pytest.fixture(scope="module")
def builtin_screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


def test_traditional_to_simplified() -> None:
    assert to_simplified("華為技術有限公司") == "华为技术有限公司"
    assert analyse("華為技術").tokens == analyse("华为技术").tokens


@pytest.mark.parametrize(
    ("han", "tokens"),
    [
        ("周子学", ("zhou", "zixue")),
        ("单田芳", ("shan", "tianfang")),  # 单 is Dan in words, Shan as a surname
        ("曾国藩", ("zeng", "guofan")),  # 曾 is Ceng in words, Zeng as a surname
        ("欧阳修", ("ouyang", "xiu")),  # compound surname
    ],
)
def test_person_names_read_as_surname_and_given_name(han: str, tokens: tuple[str, ...]) -> None:
    assert analyse(han, True).tokens == tokens


def test_wade_giles_readings() -> None:
    table = wade_giles_table()
    readings = wade_giles_readings(("chou", "tzu", "hsueh"), table)
    assert readings is not None
    assert "zhou" in readings[0] and "zi" in readings[1] and "xue" in readings[2]
    assert wade_giles_readings(("john", "smith"), table) is None
    assert wade_giles_readings(("chou",), table) is None


def test_wade_giles_and_name_order_find_the_person() -> None:
    screener = Screener.from_entries(
        [
            Entry("zhou", "t", "Test", EntityType.PERSON, "ZHOU Zixue"),
            Entry("xu", "t", "Test", EntityType.PERSON, "XU Zhijun"),
        ]
    )
    for query in ("Chou Tzu-hsueh", "Zixue Zhou", "ZHOU, Zixue", "周子学", "周子學"):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == "zhou", query
    hit = screener.screen("Hsu Chih-chun")[0]
    assert hit.entry.id == "xu"
    assert any(a.kind.startswith("wade-giles") for a in hit.explanation.alignments)


def test_company_segmentation_and_glossary() -> None:
    parts = segment_company("杭州海康威视数字技术股份有限公司")
    assert [(zh, kind) for zh, _, kind in parts] == [
        ("杭州", "place"),
        ("海康威视", "name"),
        ("数字", "term"),
        ("技术", "term"),
        ("股份有限公司", "legal"),
    ]
    assert [en for _, en, _ in parts][:4] == [
        "hangzhou",
        "haikangweishi",
        "digital",
        "technologies",
    ]
    assert analyse("长江存储科技有限责任公司", False).tokens == (
        "yangtze",
        "memory",
        "technologies",
    )


def test_latinise_explains_its_path() -> None:
    text, rules = latinise("华为技术有限公司", False)
    assert "huawei" in text
    assert rules == [
        "read 华为技术有限公司: 华为 -> huawei (pinyin); 技术 -> technologies (glossary); "
        "有限公司 -> co ltd (legal form)"
    ]


def test_mixed_script_parts() -> None:
    assert script_parts("SMIC 中芯国际") == ["SMIC", "中芯国际"]
    assert script_parts("中芯国际") == []
    assert script_parts("SMIC") == []


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("中芯国际", "CB-EL-SMIC"),
        ("中芯國際集成電路製造有限公司", "CB-EL-SMIC"),
        ("Zhongxin Guoji", "CB-EL-SMIC"),
        ("SMIC 中芯国际", "CB-EL-SMIC"),
        ("Huawei Technologies 华为技术有限公司", "CB-EL-HUAWEI"),
        ("華為", "CB-EL-HUAWEI"),
        ("海思半导体", "CB-EL-HISILICON"),
        ("长江存储科技有限责任公司", "CB-EL-YMTC"),
    ],
)
def test_listed_chinese_parties_found(
    builtin_screener: Screener, query: str, entry_id: str
) -> None:
    hits = builtin_screener.screen(query)
    assert hits, query
    assert entry_id in [h.entry.id for h in hits if h.score == hits[0].score]
    assert hits[0].entry.citation


def test_cross_script_hit_explains_its_path(builtin_screener: Screener) -> None:
    hit = builtin_screener.screen("华为技术有限公司")[0]
    assert "华为 -> huawei (pinyin)" in hit.reason
    assert hit.entry.name.upper().startswith("HUAWEI TECHNOLOGIES")


@pytest.mark.parametrize(
    "query",
    ["英特尔", "台积电", "华虹半导体", "华虹半导体有限公司", "高通公司", "紫光集团有限公司"],
)
def test_unlisted_chinese_companies_not_flagged(builtin_screener: Screener, query: str) -> None:
    assert builtin_screener.screen(query) == []


def test_alias_registry_reaches_english_only_lists() -> None:
    """The registry is data for brands and acronyms: a reading of the span holding the name."""
    screener = Screener.from_entries(
        [
            Entry("zte", "t", "Test", EntityType.COMPANY, "ZTE Corporation"),
            Entry("inter", "t", "Test", EntityType.COMPANY, "INTER S.A."),
        ]
    )
    hit = screener.screen("中兴通讯")[0]
    assert hit.entry.id == "zte"
    assert "中兴通讯 -> zte (alias registry)" in hit.reason
    # Traditional characters reach the same registry name.
    assert screener.screen("中興通訊")[0].entry.id == "zte"
    # Intel is not Inter: a registry name still needs a close match.
    assert screener.screen("英特尔") == []


def test_registry_names_with_commas_are_one_name() -> None:
    from chipbridge.screening.cjk import registry

    names = {zh: english for zh, english, _ in registry()}
    assert names["华为技术有限公司"] == ("Huawei Technologies Co., Ltd.", "Huawei")


def test_every_registry_name_says_more_than_a_legal_form() -> None:
    # An unquoted "X Co., Ltd." in the YAML list splits at its commas into "X Co." and
    # "Ltd.": a registry name of a legal form alone would pair a Chinese name with any
    # listed "... Ltd".
    from chipbridge.screening.cjk import registry
    from chipbridge.screening.lattice import legal_forms
    from chipbridge.screening.normalize import analyse

    def bare(name: str) -> bool:
        # A name of legal forms alone keeps them as its words.
        return all(legal_forms(word) for word in analyse(name, False).tokens)

    assert [(zh, en) for zh, names, _ in registry() for en in names if bare(en)] == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("秦岚湘先生", ("秦岚湘", "先生")),
        ("秦岚湘 先生", ("秦岚湘", "先生")),
        ("秦嵐湘教授", ("秦岚湘", "教授")),  # traditional characters are read simplified
        ("秦岚湘总经理", ("秦岚湘", "总经理")),
        ("秦岚湘", None),  # no title
        ("青岚电测仪器股份有限公司董事长", None),  # what is left is no person's name
        ("Qin Lanxiang 先生", None),  # two scripts: left as they are
    ],
)
def test_a_title_after_a_person_name(name: str, expected: tuple[str, str] | None) -> None:
    assert cjk.without_title(name) == expected


def test_a_person_named_with_a_title_is_found() -> None:
    person = Entry("p", "t", "Test", EntityType.PERSON, "QIN, Lanxiang")
    screener = Screener.from_entries([person])
    for name in ("秦岚湘先生", "秦岚湘教授", "秦岚湘 同志"):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "p", name
        assert "left out" in hits[0].reason, name


def test_a_title_is_no_part_of_a_hong_kong_reading() -> None:
    # Listed in Hong Kong romanisation only: the reading is made from the name, not the title.
    person = Entry("hk", "t", "Test", EntityType.PERSON, "CHAN, Kwok-lam")
    screener = Screener.from_entries([person])
    assert screener.screen("陈国林")[0].entry.id == "hk"
    hits = screener.screen("陈国林先生")
    assert hits and hits[0].entry.id == "hk"


def test_a_name_before_a_bracketed_nickname_is_read_in_hong_kong_romanisation() -> None:
    # Listed in Hong Kong romanisation only; the supplier file adds a nickname in brackets.
    person = Entry("hk", "t", "Test", EntityType.PERSON, "CHAN, Kwok-lam")
    screener = Screener.from_entries([person])
    for name in ("陈国林（阿林）", "联系人：陈国林"):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "hk", name
        assert "left out; Hong Kong romanisation 陈国林->chan kwok lam" in hits[0].reason


@pytest.mark.parametrize(
    ("listed", "name", "found"),
    [
        ("CHAN, Wai-lun", "陈伟伦", True),  # chan wai lun, as written
        ("CHIN, Wai-lun", "陈伟伦", False),  # chin is another syllable, not chan misspelled
        ("LAU, Kwang-ho", "刘军豪", False),  # lau kwan ho: kwang is a pinyin syllable
        ("TSANG, Yuet-ngor", "曾月娥", True),  # ngor is no syllable: the list's own spelling
    ],
)
def test_a_hong_kong_syllable_slipping_onto_another_syllable_is_not_met(
    listed: str, name: str, found: bool
) -> None:
    others = [
        Entry(f"o{n}", "t", "Test", EntityType.PERSON, f"ORTH{n}, Vasilii") for n in range(20)
    ]
    person = Entry("p", "t", "Test", EntityType.PERSON, listed)
    hits = Screener.from_entries([person, *others]).screen(name)
    assert bool(hits and hits[0].entry.id == "p") is found


def test_a_yale_only_reading_is_spelled_as_hong_kong_writes_it() -> None:
    # The package reads 炳 only as Yale "bing"; a Hong Kong identity card writes Ping.
    assert "tang ping kwok" in cjk.hong_kong_forms("邓炳国")
    person = Entry("hk", "t", "Test", EntityType.PERSON, "TANG, Ping-kwok")
    hits = Screener.from_entries([person]).screen("邓炳国")
    assert hits and hits[0].entry.id == "hk" and hits[0].score > 0.9


def test_a_hong_kong_reading_is_not_read_back_into_other_pinyin() -> None:
    # 武维华 is "mo wai wah" in Hong Kong; read back, those syllables also write mao, yu and
    # hua, the pinyin of other characters: "MAO, Yu Hua" is another person.
    others = [Entry("o", "t", "Test", EntityType.PERSON, "MAO, Yu Hua")]
    screener = Screener.from_entries(
        [Entry("hk", "t", "Test", EntityType.PERSON, "MO, Wai-wah"), *others]
    )
    hits = screener.screen("武维华")
    assert hits and hits[0].entry.id == "hk" and hits[0].score > 0.9
    assert not any(h.entry.id == "o" for h in hits)


def test_a_hong_kong_reading_of_a_person_is_not_a_firm_part_of_it_spells() -> None:
    # 辛秀兴 is "sun sau hing" in Hong Kong: the firm "Sun Hing Ltd." (of unknown kind, as
    # the CSL gives many firms) spells two of its three syllables and is not the person;
    # the person listed so is found. Sau is on many listed names, as given names are on the
    # real lists, so it weighs little.
    firm = Entry("firm", "t", "Test", EntityType.UNKNOWN, "Sun Hing Ltd.")
    person = Entry("person", "t", "Test", EntityType.PERSON, "SUN, Sau-hing")
    others = [Entry(f"o{n}", "t", "Test", EntityType.PERSON, f"SAU, Orth{n}") for n in range(60)]
    assert "sun sau hing" in cjk.hong_kong_forms("辛秀兴")
    assert not Screener.from_entries([firm, *others]).screen("辛秀兴")
    hits = Screener.from_entries([firm, person, *others]).screen("辛秀兴")
    assert hits[0].entry.id == "person" and "firm" not in {h.entry.id for h in hits}


def test_a_hong_kong_syllable_met_by_a_typo_is_not_met() -> None:
    # 王晨 is "wong sun" in Hong Kong: "Sun Wing Ltd." meets sun, and wing only as a typo of
    # wong, which the reading spelled exactly: another syllable, so the firm is not the person.
    firm = Entry("firm", "t", "Test", EntityType.UNKNOWN, "Sun Wing Ltd.")
    others = [
        Entry(f"o{n}", "t", "Test", EntityType.PERSON, f"ORTH{n}, Vasilii") for n in range(20)
    ]
    assert "wong sun" in cjk.hong_kong_forms("王晨")
    assert not Screener.from_entries([firm, *others]).screen("王晨")
