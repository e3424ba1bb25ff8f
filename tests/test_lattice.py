"""The translation lattice: Chinese names against names the lists write in English, and back.

Every name here is made up for the test and is in no data file of the project.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipbridge.screening import EntityType, Entry, Screener, lattice
from chipbridge.screening.normalize import UnscreenableName, analyse


def company(entry_id: str, name: str, *aliases: str) -> Entry:
    from chipbridge.screening.model import Alias

    return Entry(entry_id, "t", "Test", EntityType.COMPANY, name, tuple(Alias(a) for a in aliases))


# Forty unrelated firms, so that a test list's own words are rare and weigh as on a real list.
OTHERS = tuple(company(f"o{n}", f"Ortho{chr(97 + n % 26)}{n} Trading") for n in range(40))


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_entries(
        [
            company("stars", "Suzhou Stars Optoelectronics Technology Co., Ltd."),
            company("whale", "Blue Whale Aerospace Instruments Corporation"),
            company("zx", "Zhongxin Aerospace Instruments Co."),
            company("inst54", "54th Research Institute of Kunlun Electronics Group"),
            company("tianyu", "China Tianyu Group Co., Ltd."),
            company("acme", "Acme Trading Limited"),
            company("dolphin", "Dolphin Shipping Company"),
            Entry("zmx", "t", "Test", EntityType.PERSON, "ZHENG, Mingxuan"),
            Entry("du", "t", "Test", EntityType.PERSON, "DU, Tianming"),
            Entry("bo", "t", "Test", EntityType.PERSON, "BO, Jianhua"),
        ]
    )


@pytest.mark.parametrize(
    ("definition", "glosses"),
    [
        ("/stars/CL:顆|颗[ke1]/", ["stars"]),
        ("/variant of 樂|乐[le4]/surname Le/", []),
        ("/to hit (the mark)/core/", ["core"]),
        ("/Harbin, subprovincial city and capital of Heilongjiang/", ["harbin"]),
        ("/university/college/CL:所[suo3]/", ["university", "college"]),
        ("/(of equipment etc) commercial/for business use/", ["commercial", "for business use"]),
        ("/a torch/", ["torch"]),
        ("/see 薄荷[bo4 he5]/", []),
    ],
)
def test_gloss_selection_keeps_short_noun_senses(definition: str, glosses: list[str]) -> None:
    assert lattice.select_glosses(definition) == glosses


def test_segments_carry_glosses_pinyin_and_glossary() -> None:
    lat = lattice.build("苏州星辰光电科技有限公司", False)
    readings = {s.han: {(a.text, a.source) for a in s.alternatives} for s in lat.segments}
    assert ("stars", "CC-CEDICT") in readings["星辰"]
    assert ("xingchen", "pinyin") in readings["星辰"]
    assert ("suzhou", "place") in readings["苏州"]
    assert ("science and technology", "glossary") in readings["科技"]
    assert any(source == "legal" for _, source in readings["有限公司"])
    # The segmenter's best path covers the name once, left to right.
    assert "".join(s.han for s in lat.path) == "苏州星辰光电科技有限公司"


def test_unknown_runs_get_joined_pinyin() -> None:
    lat = lattice.build("中芯航天仪器", False)
    readings = {a.words for s in lat.segments if s.han == "中芯" for a in s.alternatives}
    assert ("zhongxin",) in readings


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [
        ("第五十四", {"54", "54th", "no 54"}),
        ("第十一", {"11", "11th", "no 11"}),
        ("七〇二", {"702", "702nd", "no 702"}),
        ("第二", {"2", "2nd", "no 2", "second"}),
    ],
)
def test_numerals(numeral: str, expected: set[str]) -> None:
    assert expected <= {a.text for a in lattice._numeral(numeral)}


@pytest.mark.parametrize("name", ["第七〇二研究所", "七〇二所", "702所", "第７０２研究所"])
def test_a_number_with_a_zero_is_read_whole(name: str) -> None:
    # 〇 is a CJK symbol, not an ideograph: read apart, it cut 七〇二 into 七 and 二.
    numbers = {a.text for s in lattice.build(name).segments for a in s.alternatives}
    assert "702" in numbers


def test_chinese_name_meets_its_english_listing(screener: Screener) -> None:
    hit = screener.screen("苏州星辰光电科技有限公司")[0]
    assert hit.entry.id == "stars"
    assert "星辰 -> stars (CC-CEDICT)" in hit.reason
    assert "苏州 -> suzhou (place)" in hit.reason


def test_explanation_shows_the_path(screener: Screener) -> None:
    hit = screener.screen("中芯航天仪器")[0]
    assert hit.entry.id == "zx"
    assert "航天 -> aerospace (glossary)" in hit.reason
    assert "中芯 -> zhongxin (pinyin)" in hit.reason


def test_one_segment_covers_several_listed_words(screener: Screener) -> None:
    hit = screener.screen("蓝鲸航天仪器公司")[0]
    assert hit.entry.id == "whale"
    assert "蓝鲸 -> blue whale (CC-CEDICT)" in hit.reason


def test_numbered_institute(screener: Screener) -> None:
    hits = screener.screen("昆仑电子集团第五十四研究所")
    assert hits and hits[0].entry.id == "inst54"
    assert "第五十四 -> 54th (numeral)" in hits[0].reason


@pytest.mark.parametrize(
    "name",
    ["昆仑电子集团第54研究所", "昆仑电子集团54所", "昆仑电子集团５４所", "昆仑电子集团五四所"],
)
def test_a_numbered_institute_written_in_digits_or_short(screener: Screener, name: str) -> None:
    # Digits in a Chinese name are read as a numeral, and 所 after a number is an institute.
    hits = screener.screen(name)
    assert hits and hits[0].entry.id == "inst54" and hits[0].score >= 0.95


def test_another_number_is_another_institute(screener: Screener) -> None:
    hits = screener.screen("昆仑电子集团55所", threshold=0.0)
    assert not hits or hits[0].entry.id != "inst54" or hits[0].score < 0.84
    assert lattice._numeral("一") == (lattice.Alternative(("1",), "numeral"),)


def test_traditional_characters(screener: Screener) -> None:
    assert screener.screen("蘇州星辰光電科技有限公司")[0].entry.id == "stars"


def test_generic_words_alone_never_make_a_hit(screener: Screener) -> None:
    # China, group and a legal form are all the query shares with "China Tianyu Group".
    assert screener.screen("中国集团有限公司") == []
    assert screener.screen("中国科技集团股份有限公司") == []
    # A different distinctive word is a different firm.
    assert screener.screen("苏州海豚光电科技有限公司") == []


@pytest.mark.parametrize(
    ("han", "entry_id"),
    [("郑明轩", "zmx"), ("都天明", "du"), ("薄建华", "bo")],
)
def test_person_names_with_surname_readings(screener: Screener, han: str, entry_id: str) -> None:
    hit = screener.screen(han, type=EntityType.PERSON)[0]
    assert hit.entry.id == entry_id


def test_surname_readings_fixed() -> None:
    # 薄 reads bao/bo and 都 dou/du in words; as surnames they read Bo and Du.
    assert analyse("薄熙来", True).tokens == ("bo", "xilai")
    assert analyse("都天明", True).tokens[0] == "du"
    lat = lattice.build("薄熙来", True)
    assert ("bo",) in {a.words for s in lat.segments if s.han == "薄" for a in s.alternatives}


def test_reverse_direction_english_and_pinyin_queries() -> None:
    screener = Screener.from_entries(
        [
            company("cn", "南海星辰光电科技有限公司"),
            company("other", "Acme Trading Limited"),
            Entry("p", "t", "Test", EntityType.PERSON, "郑明轩"),
        ]
    )
    for query in (
        "Nanhai Stars Optoelectronics Technology Co., Ltd.",
        "Nanhai Xingchen Guangdian Keji",
    ):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == "cn", query
    hit = screener.screen("Nanhai Stars Optoelectronics Technology")[0]
    assert "星辰 -> stars (CC-CEDICT)" in hit.reason
    assert screener.screen("Zheng Mingxuan", type=EntityType.PERSON)[0].entry.id == "p"
    assert screener.screen("Nanhai Dolphin Shipping") == []


def test_builtin_unreliable_entity_list_found_by_english_and_chinese() -> None:
    from chipbridge.screening.sources import builtin

    screener = Screener.from_snapshots([builtin.load()])
    assert screener.screen("Lockheed Martin")[0].entry.id == "CB-UEL-2023-1-LMT"
    assert screener.screen("洛克希德·马丁公司")[0].entry.id == "CB-UEL-2023-1-LMT"
    sugon = screener.screen("Zhongke Shuguang")[0]
    assert sugon.entry.id == "CB-EL-SUGON"


def test_latin_queries_do_not_load_the_segmenter() -> None:
    """Han-free queries against Han-free lists must not pay for the lattice."""
    code = (
        "import sys\n"
        "from chipbridge.screening import Screener, EntityType, Entry\n"
        "s = Screener.from_entries([Entry('a', 't', 'T', EntityType.COMPANY, 'Acme Trading')])\n"
        "s.screen('Acme Trading Co'); s.screen('Huawei Technologies')\n"
        "print('lindera' in sys.modules)\n"
        "s.screen('华为')\n"
        "print('lindera' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


HAN = st.text(
    alphabet=st.sampled_from("中国星辰光电科技华海明天龙飞江山云南北京东方精密仪器研究所集团"),
    min_size=2,
    max_size=10,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=40))
def test_any_unicode_never_crashes(screener: Screener, text: str) -> None:
    lattice.build(text)
    with contextlib.suppress(UnscreenableName):  # no letters or digits: refused, not cleared
        screener.screen(text)


@settings(max_examples=40, deadline=None)
@given(name=HAN)
def test_a_listed_chinese_name_finds_its_own_entry(name: str) -> None:
    screener = Screener.from_entries(
        [
            company("self", name),
            company("other", "中国东方精密仪器集团"),
            company("latin", "Acme Trading Limited"),
        ]
    )
    hits = screener.screen(name)
    assert hits, name
    assert "self" in [h.entry.id for h in hits if h.score == hits[0].score]


@pytest.fixture(scope="module")
def abbreviated() -> Screener:
    """Listed names that Chinese names abbreviate, spell by initials or name differently."""
    return Screener.from_entries(
        [
            company("meas", "Kunlun Electronic Measuring Instruments Co., Ltd."),
            company("engine", "Xingchen Commercial Aircraft Engine Co."),
            company("polar", "National Polar Meteorological Bureau"),
            company("yte", "YTE", "Yellow Tree Energy Pte Ltd"),
            company("sy", "Shenyang Blue Whale Instruments Co."),
            company("kl", "Aerospace KL Drone Co."),
            company("acme", "Acme Trading Limited"),
            company("dolphin", "Dolphin Shipping Company"),
            Entry("zx", "t", "Test", EntityType.PERSON, "ZHONG, Xin"),
        ]
    )


def test_lone_character_reads_in_its_own_sense(abbreviated: Screener) -> None:
    # 电测 abbreviates 电子测量: 测 is the verb "to measure", listed as "Measuring" (and the
    # head of the glossary's 测量, measuring, which says as much).
    hit = abbreviated.screen("昆仑电测仪器有限公司")[0]
    assert hit.entry.id == "meas"
    assert "测 -> measuring" in hit.reason
    # 商用 (commercial use) is not a dictionary word: 商 reads as commerce.
    hit = abbreviated.screen("星辰商用航空发动机有限公司")[0]
    assert hit.entry.id == "engine"
    assert "商 -> commercial (character)" in hit.reason


@pytest.mark.parametrize(
    ("definition", "glosses"),
    [
        ("/to survey/to measure/", ["survey", "measure"]),
        ("/commerce/to consult/", ["commerce", "consult"]),
    ],
)
def test_character_senses_keep_verbs(definition: str, glosses: list[str]) -> None:
    assert lattice.select_glosses(definition, 1, verbs=True) == glosses
    assert lattice.select_glosses(definition, 1) == [g for g in glosses if g == "commerce"]


@pytest.mark.parametrize(
    ("gloss", "found"),
    [
        ("measure", ["measuring", "measurement"]),
        ("commerce", ["commercial"]),
        ("technology", ["technological"]),
        ("electric", []),  # electronic is another word
        ("port", []),  # too short to have a stem
    ],
)
def test_derived_forms(gloss: str, found: list[str]) -> None:
    candidates = ["measuring", "measurement", "commercial", "technological", "electronic", "portal"]
    assert lattice.derived_forms(gloss, candidates) == found


def test_kind_of_body_named_differently(abbreviated: Screener) -> None:
    # 中心 (center) listed as "Bureau": the kind of body weighs little on both sides.
    lat = lattice.build("国家极地气象中心", False)
    weights, _ = lattice.char_weights(lat, lambda word: 5.0, 0.5)
    assert sum(weights[-2:]) <= 0.5
    listed = analyse("National Polar Meteorological Bureau", False).tokens
    assert lattice.listed_weights(listed, [5.0] * len(listed), 0.5)[-1] == 0.5
    assert abbreviated.screen("国家极地气象中心", threshold=0.0)[0].entry.id == "polar"
    # A kind of body is generic: with the country it names no party.
    assert Screener.from_entries([company("cc", "China Center")]).screen("中国中心") == []


def test_lone_character_as_head_of_a_place(abbreviated: Screener) -> None:
    hit = abbreviated.screen("沈蓝鲸仪器公司")[0]
    assert hit.entry.id == "sy"
    assert "沈 -> shenyang (abbreviation)" in hit.reason


def test_brand_initials(abbreviated: Screener) -> None:
    hit = abbreviated.screen("航天昆仑无人机有限公司")[0]
    assert hit.entry.id == "kl"
    assert "昆仑 -> kl (initials)" in hit.reason


def test_a_guess_alone_never_makes_a_hit(abbreviated: Screener) -> None:
    # 英特尔's initials are YTE, a listed name and a listed name's derived acronym.
    assert abbreviated.screen("英特尔") == []
    assert abbreviated.screen("昆仑") == []


def test_organisation_name_is_not_a_listed_person(abbreviated: Screener) -> None:
    # 中芯 reads zhong xin, but a name with a legal form is an organisation's.
    assert abbreviated.screen("中芯", type=EntityType.PERSON)[0].entry.id == "zx"
    assert abbreviated.screen("中芯科技有限公司") == []


def test_legal_form_characters_stay_out_of_pinyin_runs() -> None:
    lat = lattice.build("昆仑有限公司", False)
    legal = {c for s in lat.segments if s.legal for c in range(s.start, s.end)}
    for segment in lat.segments:
        chars = set(range(segment.start, segment.end))
        if chars & legal and not chars <= legal:
            assert not any(a.source == "pinyin" for a in segment.alternatives), segment.han


@pytest.mark.parametrize(
    ("definition", "glosses"),
    [
        # An abbreviation's sense gives the body's English name after its Chinese one.
        (
            "abbr. for 北辰集团|北辰集团[Bei3 chen2 Ji2 tuan2], NSTG (Northstar Trading Group)/",
            ["nstg", "northstar trading group"],
        ),
        # A body's name of capitalised words, with its short form after a comma, however its
        # pinyin is written (and longer than a common word's gloss may be).
        (
            "Ruritania Northern Offshore Oil and Gas Corporation, Rurnoc/",
            ["ruritania northern offshore oil and gas corporation", "rurnoc"],
        ),
        ("abbr. for 北辰集团/", []),  # no English: nothing
        # A name's full stops abbreviate; "(abbr.)" says nothing.
        ("abbr. for 北辰集团, Northstar Trading Corp. (NSTC)/", ["northstar trading corp", "nstc"]),
        ("NSTC, Northstar Trading Corporation (abbr.)/", ["nstc", "northstar trading corporation"]),
        ("national defense/", ["national defense"]),
        ("Mercury (planet)/", ["mercury"]),
    ],
)
def test_a_dictionary_sense_may_name_a_body(definition: str, glosses: list[str]) -> None:
    assert lattice.select_glosses(definition) == glosses


def test_a_dictionary_abbreviation_finds_the_body_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # A firm the lists write by its acronym is found through the dictionary's sense of the
    # short name (北辰 -> NSTG), as CC-CEDICT gives 中远 -> COSCO.
    sense = "abbr. for 北辰集团[Bei3 chen2 Ji2 tuan2], NSTG (Northstar Trading Group)/"
    monkeypatch.setattr(lattice, "word_readings", lattice.word_readings.__wrapped__)
    original = lattice.word_readings

    def readings_of(surface: str, details: tuple[str, ...]) -> tuple[lattice.Alternative, ...]:
        if surface == "北辰":
            details = (*details[:4], "Bei3 chen2", *details[5:7], sense)
        return original(surface, details)

    monkeypatch.setattr(lattice, "word_readings", readings_of)
    lattice.build.cache_clear()
    screener = Screener.from_entries([company("n", "NSTG Shipping Management Co., Ltd."), *OTHERS])
    try:
        hits = screener.screen("北辰船舶管理有限公司")
    finally:
        lattice.build.cache_clear()
    assert hits and hits[0].entry.id == "n"


def test_proper_noun_gloss_drops_its_description() -> None:
    definition = "Qinghe province in north central Ruritania"
    assert lattice.select_glosses(definition, 8, proper=True) == ["qinghe province"]
    assert lattice.select_glosses(definition) == []  # too long for a common word


def test_legal_form_meets_its_pinyin() -> None:
    # A list's romanised legal form is a legal form (normalize._PINYIN_LEGAL), as the Chinese
    # one is: with it, without it, or with another, the name is the same.
    screener = Screener.from_entries([company("hl", "Shanghai Hailan Keji Youxian Gongsi")])
    for han in ("上海海兰科技有限公司", "上海海兰科技", "上海海兰科技股份有限公司"):
        hits = screener.screen(han)
        assert hits and hits[0].entry.id == "hl" and hits[0].score >= 0.95, han
        assert "romanised Chinese legal form normalised" in hits[0].reason


def test_two_translations_written_as_one_word() -> None:
    built = lattice.build("银月网络有限公司")
    assert "silvermoon" in lattice.words(built)
    screener = Screener.from_entries([company("sm", "Silvermoon Network Co., Ltd.")])
    hits = screener.screen("银月网络有限公司")
    assert hits and hits[0].entry.id == "sm"
    assert "(compound" in hits[0].reason


def test_a_listed_term_the_chinese_name_does_not_say_keeps_it_off() -> None:
    screener = Screener.from_entries(
        [company("ue", "University of Electronic Science and Technology of Lanzhou")]
    )
    assert screener.screen("兰州电子科学技术大学")[0].entry.id == "ue"
    # Same words but 电子 (electronic): another university.
    assert screener.screen("兰州科学技术大学") == []


def test_registered_name_adds_place_and_industry_to_the_trade_name() -> None:
    # Forty other parties, so that a name's own word is as rare as on a real list.
    screener = Screener.from_entries(
        [company("xy", "Xingyue Limited"), company("net", "Network Services Limited"), *OTHERS]
    )
    hits = screener.screen("上海星月网络科技有限公司")
    assert hits and hits[0].entry.id == "xy"
    # Place and industry words alone anchor nothing.
    assert [h.entry.id for h in screener.screen("上海网络科技有限公司")] != ["net"]


def test_a_kind_of_body_the_chinese_name_does_not_say_counts() -> None:
    screener = Screener.from_entries(
        [company("ku", "Kunlun Aviation Industry Corporation"), *OTHERS]
    )
    assert screener.screen("昆仑航空工业集团有限公司")[0].entry.id == "ku"
    # 工业 (industry) unsaid: another body of the same place and trade.
    assert screener.screen("昆仑航空集团有限公司") == []


def test_acronym_of_the_translated_words() -> None:
    assert "cpmiec" in lattice.words(lattice.build("中国精密机械进出口青城公司"))
    screener = Screener.from_entries([company("ac", "CPMIEC Qingcheng Company"), *OTHERS])
    hits = screener.screen("中国精密机械进出口青城公司")
    assert hits and hits[0].entry.id == "ac"
    assert "(acronym" in hits[0].reason


@pytest.mark.parametrize(
    ("gloss", "found"),
    [
        ("standard", ["std"]),  # a contraction: first and last letters, consonants between
        ("import", ["imp"]),  # a start cut short
        ("manufacturing", ["man"]),
        ("holding", ["hldg"]),
        ("steel", []),  # too short to write short
    ],
)
def test_listed_short_forms_of_a_gloss(gloss: str, found: list[str]) -> None:
    listed = {"std", "imp", "man", "hldg", "sad", "ste", "stl"}
    assert lattice.short_forms(gloss, listed.__contains__) == found


def test_a_vowel_makes_no_contraction() -> None:
    # "Sad" keeps s..d of "standard" in order, but a contraction drops the vowels.
    assert lattice.short_forms("standard", {"sad", "sd"}.__contains__) == []


def test_listed_words_written_short_meet_the_translation() -> None:
    screener = Screener.from_entries([company("sp", "Qinglan Std. Parts Imp. & Exp."), *OTHERS])
    hits = screener.screen("青岚标准件进出口有限公司")
    assert hits and hits[0].entry.id == "sp"
    assert "std" in hits[0].reason
    # The short words support a name; they bring in nothing alone.
    assert screener.screen("标准件进出口有限公司") == []


def test_a_lone_character_read_otherwise() -> None:
    # 乐 reads le, commonly, and yue: a trade name may use either.
    built = lattice.build("乐丰光学有限公司")
    assert {"lefeng", "yuefeng"} <= lattice.words(built)
    screener = Screener.from_entries([company("yf", "Yuefeng Optics Co., Ltd."), *OTHERS])
    hits = screener.screen("乐丰光学有限公司")
    assert hits and hits[0].entry.id == "yf"
    assert "(other reading" in hits[0].reason
    # A dictionary word keeps its own reading: 重庆 is chongqing, never zhongqing.
    assert "zhongqing" not in lattice.words(lattice.build("重庆光学有限公司"))


def test_a_reading_that_meets_only_a_function_word_finds_nothing() -> None:
    # 广电 glosses as "radio and television": meeting the listed "and" alone is no match.
    screener = Screener.from_entries([company("mt", "Lanshan Metrology and Test Co., Ltd.")])
    hits = screener.screen("广电计量检测有限公司", threshold=0.0)
    assert hits and "metrology" in hits[0].reason
    assert "-> and" not in hits[0].reason


def test_a_factory_and_its_manufacturing_name_the_kind_of_body() -> None:
    # 总厂 (works) and 制造 (manufacturing) say what kind of body a name describes, as 集团
    # does: a list that leaves them out still names the same works.
    screener = Screener.from_entries([company("lz", "Wuhan Aviation Instruments"), *OTHERS])
    hits = screener.screen("武汉航空仪器制造总厂有限公司")
    assert hits and hits[0].entry.id == "lz"
    # The place still tells such bodies apart.
    assert screener.screen("南昌航空仪器制造总厂有限公司") == []


def test_a_short_name_keeps_the_first_character_of_each_word() -> None:
    # 三重 (Sanzhong) for 第三重型 (third heavy): an ordinal stands with its number.
    assert "sanzhong" in lattice.words(lattice.build("第三重型机械集团临溪锻造有限公司"))
    screener = Screener.from_entries(
        [company("sz", "Sanzhong Group Linxi Forging Co., Ltd."), *OTHERS]
    )
    hits = screener.screen("第三重型机械集团临溪锻造有限公司")
    assert hits and hits[0].entry.id == "sz"
    assert "(short pinyin" in hits[0].reason
    # A guess alone makes no match.
    assert Screener.from_entries([company("sz", "Sanzhong"), *OTHERS]).screen("第三重型") == []


def test_a_short_name_spelled_as_its_own_first_word_is_no_short_name() -> None:
    # 广州 | 轴承 shortened is guang zhou, which is 广州 read whole: a short name spelled as
    # one of its own words is that word, and must not take the words after it (轴承 bearing)
    # from the listed words they meet.
    query = "广州轴承精密有限公司"
    spelled = {
        a.words
        for s in lattice.build(query).segments
        for a in s.alternatives
        if a.source == "short pinyin"
    }
    assert ("guangzhou",) not in spelled
    screener = Screener.from_entries(
        [company("gz", "Guangzhou Bearing Precision Co., Ltd."), *OTHERS]
    )
    hits = screener.screen(query)
    assert hits and hits[0].entry.id == "gz"
    assert "bearing" in hits[0].reason


def test_a_short_name_that_is_a_brand() -> None:
    # 中国航空 is shortened 中航, which the alias registry knows as AVIC.
    screener = Screener.from_entries([company("aq", "AVIC Qinglan Instruments Co., Ltd."), *OTHERS])
    hits = screener.screen("中国航空青岚仪表有限公司")
    assert hits and hits[0].entry.id == "aq"
    assert "(short name" in hits[0].reason


def test_a_group_short_name_reads_as_the_acronym_the_list_spells_out() -> None:
    # The list spells "CNSC" out ("China National Shipbuilding Corporation") and lists a
    # subsidiary under the acronym; the subsidiary's Chinese name opens with the group's
    # short name 中船 (中国船舶: each character the head of a word). No registry entry says so.
    group = company("grp", "China National Shipbuilding Corporation", "CNSC")
    sub = company("sub", "CNSC Qinglan Shipbuilding Co., Ltd.")
    screener = Screener.from_entries([group, sub, *OTHERS])
    table = screener.index.group_acronyms
    assert {g.acronym for g in table["shipbuilding"]} == {"cnsc"}
    lat = lattice.with_group_acronyms(screener.index, lattice.build("中船青岚造船有限公司", False))
    readings = {(s.han, a.text, a.source) for s in lat.segments for a in s.alternatives}
    assert ("中船", "cnsc", "group acronym") in readings
    hits = screener.screen("中船青岚造船有限公司")
    assert hits and hits[0].entry.id == "sub"
    assert "中船 -> cnsc (group acronym)" in hits[0].reason
    # Each character stands for its own word: 中船船 is no short name of the group.
    lat = lattice.with_group_acronyms(screener.index, lattice.build("中船船青岚", False))
    assert ("中船船", "cnsc", "group acronym") not in {
        (s.han, a.text, a.source) for s in lat.segments for a in s.alternatives
    }
    # A guess: the short name alone makes no match.
    assert Screener.from_entries([sub, *OTHERS]).screen("中船") == []


def test_a_group_name_written_out_reads_as_its_acronym_whole() -> None:
    # The list spells a made-up "AICC" out; 中国航空 writes the group's word 航空 in full, and
    # the acronym reads the whole word rather than its head 航, leaving 空 unexplained.
    group = company("grp", "Aviation Industry Corporation of China", "AICC")
    sub = company("sub", "AICC International Holding Corporation")
    screener = Screener.from_entries([group, sub, *OTHERS])
    lat = lattice.with_group_acronyms(screener.index, lattice.build("中国航空国际控股", False))
    readings = {(s.han, a.text, a.source) for s in lat.segments for a in s.alternatives}
    assert ("中国航空", "aicc", "group acronym") in readings
    hits = screener.screen("中国航空国际控股有限公司")
    assert hits and hits[0].entry.id == "sub"
    assert "中国航空 -> aicc (group acronym)" in hits[0].reason


@pytest.mark.parametrize(
    ("gloss", "listed", "found"),
    [
        ("toxin", "toxicology", ["toxicology"]),
        ("pharmaceuticals", "pharmacology", ["pharmacology"]),
        ("virus", "virology", ["virology"]),
        ("virus", "virtue", []),
        ("to", "toology", []),  # a root of three letters at least
    ],
)
def test_disciplines(gloss: str, listed: str, found: list[str]) -> None:
    assert lattice.disciplines(gloss, {listed}.__contains__) == found


def test_a_research_body_named_for_its_discipline() -> None:
    # 病毒 is "virus" and 毒物 "poison, toxin" in CC-CEDICT; the institutes' English names
    # say the discipline (Virology, Toxicology).
    screener = Screener.from_entries(
        [
            company("vir", "Qinglan Institute of Virology"),
            company("tox", "Qinglan Institute of Pharmacology and Toxicology"),
            *OTHERS,
        ]
    )
    hits = screener.screen("青岚病毒研究所")
    assert hits and hits[0].entry.id == "vir"
    assert "病毒 -> virology (CC-CEDICT)" in hits[0].reason
    hits = screener.screen("青岚毒物药物研究所")
    assert hits and hits[0].entry.id == "tox"
    # The place's other institutes are not found for it.
    assert screener.screen("青岚地震研究所") == []


def test_a_group_short_name_keeps_the_country_whole() -> None:
    # 中国航发: the country, then 航 and 发 for the words of 航空 | 发动机 (aero engine).
    group = company("grp", "China National Aero Engine Group", "CNAEG")
    sub = company("sub", "CNAEG Qinglan Turbine Co., Ltd.")
    screener = Screener.from_entries([group, sub, *OTHERS])
    name = "中国航发青岚涡轮有限公司"
    lat = lattice.with_group_acronyms(screener.index, lattice.build(name, False))
    readings = {(s.han, a.text, a.source) for s in lat.segments for a in s.alternatives}
    assert ("中国航发", "cnaeg", "group acronym") in readings
    hits = screener.screen(name)
    assert hits and hits[0].entry.id == "sub"


def test_a_place_after_the_group_name_weighs_as_a_qualifier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A group's unit is located in its Chinese name (中国航发 | 湖南 | 海洋涡轮研究院); lists
    # leave the place out of its English name. The registry is off: the group's acronym is
    # read from the listed names (a guess, x0.85), as for a group the registry does not know.
    monkeypatch.setattr(lattice, "registry_alternatives", dict)
    lattice.build.cache_clear()
    common = [company(f"w{n}", f"{word} Works") for n, word in enumerate(("Marine", "Turbine"))]
    screener = Screener.from_entries(
        [
            company("group", "Aero Engine Corporation of China", "AECC"),
            company("gt", "AECC Marine Turbine Establishment"),
            company("w2", "Establishment Works"),
            *common,
            *OTHERS,
        ]
    )
    try:
        name = "中国航发湖南海洋涡轮研究院"
        assert lattice.located(lattice.build(name)) == frozenset({4, 5})
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "gt"
        assert "湖南" in hits[0].reason  # the explanation names the place left over
        # The place does not stand for what the name leaves out, nor with the group's name
        # missing.
        assert [h.entry.id for h in screener.screen("中国航发湖南研究院")] != ["gt"]
        assert screener.screen("湖南海洋涡轮研究院") == []
        assert screener.screen("青岚湖南海洋涡轮研究院") == []
    finally:
        lattice.build.cache_clear()


def test_a_place_that_opens_the_name_tells_bodies_apart() -> None:
    # 杭州 opens the name: another university of the same trade, not the listed one.
    screener = Screener.from_entries(
        [company("ue", "University of Electronic Science and Technology of Lanzhou"), *OTHERS]
    )
    assert lattice.located(lattice.build("杭州电子科学技术大学")) == frozenset()
    assert screener.screen("杭州电子科学技术大学") == []


def _parents_list() -> Screener:
    group = company("grp", "China National Shipbuilding Heavy Corporation", "CNSHC")
    unit = company("unit", "CNSHC Qinglan Turbine Research Institute")
    spelled = company(
        "sp",
        "China National Shipbuilding Heavy Corporation (CNSHC) Baiyun Radar Research Institute",
    )
    guard = company("g2", "Kunlun Guard Corps", "KGC")
    force = company("af", "KGC Air Force")
    forces = [company(f"f{n}", f"{p} Air Force") for n, p in enumerate(["Moshan", "Lanshan"])]
    others = [company(f"r{n}", f"Ortho{n} Air Force Base") for n in range(3)]
    return Screener.from_entries([group, unit, spelled, guard, force, *forces, *others, *OTHERS])


def test_a_parent_group_the_chinese_name_does_not_say_qualifies_the_listed_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The lists open a unit's name with its group's (its acronym, or the group spelled out
    # with the acronym after it); its Chinese name often names the unit alone.
    screener = _parents_list()
    parents = lattice.ParentGroups.of(screener.index.group_acronyms)
    assert parents.opening(["cnshc", "qinglan", "turbine", "research", "institute"]) == (0,)
    spelled = "china national shipbuilding heavy corporation cnshc baiyun radar research institute"
    assert parents.opening(spelled.split()) == tuple(range(6))
    # The group itself, or a group and a number, names no unit.
    assert parents.opening(["china", "national", "shipbuilding", "heavy", "corporation"]) == ()
    assert parents.opening(["cnshc", "8th", "academy"]) == ()
    hits = screener.screen("白云雷达研究所")
    assert hits and hits[0].entry.id == "sp"
    assert "parent group unsaid, weighed as a qualifier: china national shipbuilding" in (
        hits[0].reason
    )
    relieved = hits[0].score
    hits = screener.screen("青岚涡轮研究所")
    assert hits and hits[0].entry.id == "unit"
    assert "parent group unsaid, weighed as a qualifier: cnshc" in hits[0].reason
    # Another unit of the same kind is not found for it.
    assert screener.screen("紫云涡轮研究所") == []
    # Switched off, the unsaid parent weighs in full and the unit is missed.
    monkeypatch.setattr(lattice, "parent_relief", lambda t, w, p, o, q: (tuple(w), ()))
    assert screener.screen("白云雷达研究所") == []
    assert screener.screen("白云雷达研究所", threshold=0.0)[0].score < relieved


def test_a_unit_whose_own_words_name_many_bodies_gets_no_relief() -> None:
    # "Air Force" after the guard corps' acronym names many listed bodies: the parent keeps
    # its weight, so 空军 is not the Kunlun Guard Corps Air Force through it.
    screener = _parents_list()
    weights = (5.0, 5.0, 5.0)
    offered: dict[str, list[int]] = {}
    parents = lattice.ParentGroups.of(screener.index.group_acronyms)
    tokens = ("kgc", "air", "force")
    assert parents.opening(tokens) == (0,)
    postings = screener.index.postings
    assert lattice.parent_relief(tokens, weights, parents, offered, postings) == (weights, ())
    tokens = ("cnshc", "qinglan", "turbine")
    relieved, parent = lattice.parent_relief(tokens, weights, parents, offered, postings)
    assert parent == ("cnshc",) and relieved[0] < 1.0 and relieved[1:] == (5.0, 5.0)
    # A Chinese name that says the parent is measured against all of it.
    said = {"cnshc": [0]}
    assert lattice.parent_relief(tokens, weights, parents, said, postings) == (weights, ())
    for hit in screener.screen("空军"):
        assert "parent group" not in hit.reason


@pytest.mark.parametrize(
    ("query", "listed", "reading"),
    [
        # The alias registry pairs 中国航天科技集团有限公司 with "CASC".
        ("中国航天科技集团有限公司", "Cantina Alta Serra Costa", "(alias registry)"),
        # 佳泰 reads jiatai: a sound, not the initials of a name.
        ("杭州佳泰自动化设备有限公司", "Jamiat Ihia al-Turath al-Islamiya", "(pinyin)"),
    ],
)
def test_no_chinese_reading_meets_initials_the_index_derived(
    monkeypatch: pytest.MonkeyPatch, query: str, listed: str, reading: str
) -> None:
    # The index derives initials from a listed name (SEGC, CASC, JIATAI); a Chinese name
    # meets them only by chance.
    screener = Screener.from_entries([company("x", listed), *OTHERS])
    assert all(h.entry.id != "x" for h in screener.screen(query, threshold=0.0))
    monkeypatch.setattr(lattice, "_derived_kind", lambda: None)
    hits = screener.screen(query, threshold=0.0)
    assert hits and hits[0].entry.id == "x" and reading in hits[0].reason


def test_a_parent_is_left_unsaid_only_when_the_unit_is_named_plainly() -> None:
    # "CNSHC Aero Radar": a Chinese name that meets "aero" only through "aerospace" (x0.85)
    # names another body, and the parent weighs in full against it.
    tokens = ("cnshc", "aero", "radar", "research", "institute", "car")
    weights = (0.3, 5.0, 5.0, 2.0, 2.0, 0.0)  # "car": the name's own acronym weighs nothing

    def aligned(*sims: float) -> lattice.Alignment:
        segment = lattice.Segment(0, 2, "航天", (lattice.Alternative(("aerospace",), "glossary"),))
        pairs = tuple((0, j, sim) for j, sim in zip((1, 2, 3, 4), sims, strict=True))
        step = lattice.Step(segment, segment.alternatives[0], pairs)
        return lattice.Alignment(0.0, 0.0, (step,))

    assert lattice.unit_found(tokens, weights, ("cnshc",), aligned(1.0, 1.0, 1.0, 1.0))
    assert lattice.unit_found(tokens, weights, ("cnshc",), aligned(0.95, 1.0, 1.0, 1.0))
    assert not lattice.unit_found(tokens, weights, ("cnshc",), aligned(0.85, 1.0, 1.0, 1.0))


def test_one_common_word_names_a_kind_of_body_not_a_body(monkeypatch: pytest.MonkeyPatch) -> None:
    # 空军 is "air force", which many listed bodies hold: the query names none of them, and
    # only a listed name it covers (not one it is covered by) may be its hit.
    screener = Screener.from_entries(
        [company("zaf", "Zorvania Air Force"), company("af", "Air Force"), *OTHERS]
    )
    assert [h.entry.id for h in screener.screen("空军")] == ["af"]
    near = {h.entry.id: h.score for h in screener.screen("空军", threshold=0.0)}
    assert near["zaf"] < 0.7
    # A name that says more than the word is not one common word.
    assert lattice.common_word(lattice.build("佐瓦尼亚空军")) is None
    monkeypatch.setattr(lattice, "common_word", lambda read: None)
    assert {h.entry.id for h in screener.screen("空军")} == {"af", "zaf"}


def test_a_place_adds_no_name_to_one_common_word() -> None:
    # Where a body stands says nothing of which body it is: 空军集团上海 scores against
    # "Air Force Tech Group" what 空军集团 does (it had scored 0.94 against 0.71 alone).
    screener = Screener.from_entries(
        [company("aft", "Air Force Tech Group"), company("af", "Air Force"), *OTHERS]
    )
    alone = {h.entry.id: h.score for h in screener.screen("空军集团", threshold=0.0)}
    for han in ("空军集团上海", "空军集团德国"):
        placed = {h.entry.id: h.score for h in screener.screen(han, threshold=0.0)}
        assert placed["aft"] <= alone["aft"], han
        # Not found, as 空军集团 is not: 集团 counts in full beside one common word ("Air
        # Force Group" scores 0.80 against "Air Force" in Latin too).
        assert screener.screen(han) == screener.screen("空军集团") == [], han


def test_a_number_is_one_word_on_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # The segmenter cuts 第三十三 into 第三十 | 三: read whole, it weighs what "33rd" weighs,
    # not a dictionary word (thirtieth) and a syllable (san) besides, and another group's
    # 33rd institute is not found through the number and "institute" alone.
    read = lattice.build("昆仑电子集团第三十三研究所")
    assert "第三十三" in [s.han for s in read.path]
    screener = Screener.from_entries(
        [company("i33", "Zorvania Aerospace Corporation 33rd Institute", "33rd Institute"), *OTHERS]
    )
    assert screener.screen("电子第三十三研究所") == []
    assert screener.screen("第三十三研究所")[0].entry.id == "i33"
    lattice.build.cache_clear()
    monkeypatch.setattr(lattice, "_numerals_whole", lambda path, segments: path)
    try:
        hits = screener.screen("电子第三十三研究所")
        assert hits and hits[0].entry.id == "i33"
    finally:
        lattice.build.cache_clear()


def test_a_place_stands_by_its_initials_alone() -> None:
    # Lists write a city by its code in front of a trade name ("SZ ..." for 深圳).
    screener = Screener.from_entries([company("q", "SZ Qilin Technology Co., Ltd."), *OTHERS])
    hits = screener.screen("深圳市麒麟创新科技有限公司")
    assert hits and hits[0].entry.id == "q"
    assert "深圳 -> sz (place)" in hits[0].reason
    read = lattice.build("深圳市麒麟创新科技有限公司")
    shenzhen = next(s for s in read.segments if s.han == "深圳")
    assert lattice.Alternative(("sz",), "place") in shenzhen.alternatives


@pytest.mark.parametrize(
    ("word", "spells"),
    [("qinglan", True), ("huali", True), ("solid", False), ("propulsion", False), ("avic", False)],
)
def test_a_romanised_trade_name_spells_pinyin(word: str, spells: bool) -> None:
    assert lattice.spells_pinyin(word) is spells


def test_a_description_alone_does_not_find_a_firm_by_its_trade_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 上海电子科技有限公司 says a place and common words, no name: the listed Shanghai Qinglan
    # Electronic Science is another firm until the query says Qinglan.
    screener = Screener.from_entries(
        [company("q", "Shanghai Qinglan Electronic Science Co., Ltd."), *OTHERS]
    )
    assert screener.screen("上海电子科技有限公司") == []
    assert screener.screen("上海青岚电子科技有限公司")[0].entry.id == "q"
    monkeypatch.setattr(lattice, "_nameless", lambda read: False)
    hits = screener.screen("上海电子科技有限公司")
    assert hits and hits[0].entry.id == "q"


def test_an_acronym_read_from_other_words_than_the_list_spells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 西安电子科技 reads Xi'an Electronics Technology, initials XETC; the list spells XETC out
    # as Xinglong Electronics Technology Corporation, and Xi'an is none of its words.
    screener = Screener.from_entries(
        [company("x", "Xinglong Electronics Technology Corporation", "XETC"), *OTHERS]
    )
    assert screener.screen("西安电子科技有限公司") == []
    assert screener.screen("兴隆电子科技有限公司")[0].entry.id == "x"
    monkeypatch.setattr(lattice.ParentGroups, "misread", lambda self, a, lat, t: False)
    hits = screener.screen("西安电子科技有限公司")
    assert hits and hits[0].entry.id == "x" and "-> xetc (acronym)" in hits[0].reason


def _han_coverage(han: str, tokens: tuple[str, ...]) -> float:
    """The Chinese side's coverage of ``han`` aligned, as a listed firm's name, with
    ``tokens``: the first weighing 10, the others 0.5, each met by its own spelling only."""

    def matcher(word: str, strict: bool) -> list[tuple[str, float]]:
        return [(word, 1.0)]

    weights = (10.0,) + (0.5,) * (len(tokens) - 1)
    read = lattice.build(han)
    found = lattice.align(tokens, weights, read, matcher, lambda w: 5.0, 0.5, qualify=True)
    return found.han_coverage


def test_a_listed_trade_of_its_own_keeps_the_query_trade_words_weighing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Qinglan Bank" found whole in 上海青岚微电子有限公司: the place is a qualifier, but the
    # listed name says a trade of its own (bank), so 微电子 names another business and
    # weighs in full.
    def coverage(tokens: tuple[str, ...]) -> float:
        return _han_coverage("上海青岚微电子有限公司", tokens)

    assert coverage(("qinglan", "bank")) < 0.8 < coverage(("qinglan", "limited"))
    monkeypatch.setattr(lattice, "_term_words", frozenset)
    assert coverage(("qinglan", "bank")) > 0.8


def test_a_trade_lists_add_at_will_is_contradicted_by_the_query_s_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Qinglan Technology" found whole in 上海青岚物流有限公司: lists add "Technology" to a
    # name at will, so unsaid it leaves the name as it is (青岚 alone, or with a place), but
    # the query's own trade (物流 logistics) says another business and weighs in full.
    def coverage(han: str) -> float:
        return _han_coverage(han, ("qinglan", "technology"))

    assert coverage("上海青岚物流有限公司") < 0.8
    assert coverage("上海青岚有限公司") > 0.8
    assert coverage("青岚集团有限公司") > 0.8  # a kind of body, not a trade
    monkeypatch.setattr(lattice, "_unsaid_trades", frozenset)
    assert coverage("上海青岚物流有限公司") > 0.8


def test_a_listed_trade_word_weighed_as_a_legal_form_is_still_unsaid() -> None:
    # "Bank" may weigh as a legal form's word on the lists; unsaid by the Chinese name, it still
    # names another trade. The name's own acronym (weighing nothing) is never unsaid.
    segment = lattice.Segment(0, 2, "青岚", (lattice.Alternative(("qinglan",), "pinyin"),))
    step = lattice.Step(segment, segment.alternatives[0], ((0, 0, 1.0),))
    found = lattice.Alignment(1.0, 1.0, (step,))
    tokens = ("qinglan", "bank", "qb")
    assert lattice.unsaid_terms(tokens, (10.0, 0.5, 0.0), found, {}) == ["bank"]
    assert lattice.unsaid_terms(tokens, (10.0, 0.5, 0.0), found, {"bank": [0]}) == []


def test_a_branch_or_office_of_a_listed_name_is_that_party(screener: Screener) -> None:
    # A listed name translated whole (no pinyin trade name to anchor it): the place and the
    # unit the Chinese name adds weigh as "Shenzhen Branch" does in a Latin name.
    whole = screener.screen("蓝鲸航天仪器公司")[0]
    for han in ("蓝鲸航天仪器公司深圳分公司", "蓝鲸航天仪器公司上海办事处", "蓝鲸航天仪器公司工厂"):
        hits = screener.screen(han)
        assert hits and hits[0].entry.id == "whale", han
        assert hits[0].score >= whole.score - 0.1, han
    # A unit is not the party when the name says another body: a numbered academy stays
    # what it was, and a branch alone (a kind of unit) names nobody.
    assert screener.screen("蓝鲸航天仪器公司第五研究院") == []
    assert screener.screen("中国分公司") == []


def test_one_syllable_is_no_trade_name() -> None:
    # 林 reads "lin", the acronym of an unrelated listed body: one syllable spells acronyms
    # and surnames as often as firms, so the industry words the name adds keep their weight.
    listed = Screener.from_entries(
        [company("lin", "Liberation Initiative Nuvaria", "LIN"), *OTHERS]
    )
    assert listed.screen("林微电子科技有限公司") == []


def test_a_place_around_a_registry_name_says_where_the_firm_stands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The registry pairs 林夸 with the listed firm. A place before it (a registered name's) or
    # after it weighs as a place beside a listed brand in a Latin name; 林夸深圳 is no person
    # (surname 林, given name 夸深圳): a given name has one or two characters.
    registry = {"林夸": (lattice.Alternative(("quorvane",), "alias registry"),)}
    monkeypatch.setattr(lattice, "registry_alternatives", lambda: registry)
    screener = Screener.from_entries([company("q", "Quorvane Co., Ltd."), *OTHERS])
    for han in ("林夸", "深圳林夸", "林夸深圳", "林夸深圳分公司"):
        hits = screener.screen(han)
        assert hits and hits[0].entry.id == "q" and hits[0].score >= 0.85, han
    # A term around it is another business: it keeps its weight.
    assert screener.screen("林夸航天研究院") == []


def test_words_a_registry_name_stands_for_may_be_said_again_around_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The registry pairs the brand 林夸 with the firm's whole English name; a query that
    # says the name's other words too (杭州 … 数字 技术) explains them by the same words.
    registry = {
        "林夸": (
            lattice.Alternative(
                ("hangzhou", "quorvane", "digital", "technology"), "alias registry"
            ),
        )
    }
    monkeypatch.setattr(lattice, "registry_alternatives", lambda: registry)
    screener = Screener.from_entries(
        [company("q", "Hangzhou Quorvane Digital Technology Co., Ltd."), *OTHERS]
    )
    hits = screener.screen("杭州林夸数字技术（德国）有限公司")
    assert hits and hits[0].entry.id == "q" and hits[0].score >= 0.9


def test_a_country_named_in_chinese_is_where_a_firms_arm_stands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Countries' Chinese names come from Babel (CLDR): 德国 Germany, 美国 the United States.
    # After the firm's name they weigh as a place, as Deutschland does in a Latin name.
    from chipbridge.screening import cjk

    assert cjk.glossary()["places"]["德国"] == "germany"
    registry = {"林夸": (lattice.Alternative(("quorvane",), "alias registry"),)}
    monkeypatch.setattr(lattice, "registry_alternatives", lambda: registry)
    screener = Screener.from_entries([company("q", "Quorvane Co., Ltd."), *OTHERS])
    for han in ("林夸德国", "林夸（美国）有限公司", "林夸日本分公司"):
        hits = screener.screen(han)
        assert hits and hits[0].entry.id == "q" and hits[0].score >= 0.85, han


@pytest.mark.parametrize(
    ("han", "split"),
    [
        ("张伟", ("张", "伟")),
        ("欧阳建国", ("欧阳", "建国")),
        ("林郑月娥", ("林", "郑月娥")),  # two surnames, a married woman's in Hong Kong
        ("华为深圳", None),  # a given name has one or two characters
    ],
)
def test_person_names_split(han: str, split: tuple[str, str] | None) -> None:
    from chipbridge.screening import cjk

    assert cjk.split_person(han) == split


def test_a_trade_name_the_registry_writes_is_not_met_by_its_sound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The registry writes the listed trade name Lankun as 兰坤; 蓝昆 sounds the same (lan kun)
    # and is another firm. Without the registry's spelling the sound is all there is to go by.
    screener = Screener.from_entries([company("lk", "Lankun Instruments Co."), *OTHERS])
    assert [h.entry.id for h in screener.screen("蓝昆仪器有限公司")] == ["lk"]
    # (The index keeps the registry's spellings, made when it is built.)
    monkeypatch.setattr(screener.index, "registry_spellings", {"lankun": frozenset({"兰坤"})})
    assert screener.screen("蓝昆仪器有限公司") == []
    assert [h.entry.id for h in screener.screen("兰坤仪器有限公司")] == ["lk"]


def test_registry_spellings_are_derived_from_its_names() -> None:
    # The registry pairs 华为技术有限公司 with "Huawei Technologies Co., Ltd.": the pinyin
    # word is found in the Chinese name; places (上海, shanghai) are words, not spellings.
    spellings = lattice.registry_spellings()
    assert spellings["huawei"] == frozenset({"华为"})
    assert "shanghai" not in spellings


def test_a_firm_adds_its_place_and_industry_to_a_firm_not_to_a_ship_or_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 泰金 reads "Jin Tai" backwards and forwards; here the listed name holds it in order.
    # A firm's place, industry and legal form weigh little beside a listed firm's name,
    # but a ship or a person of that name is not a firm with a place and an industry.
    query = "厦门金泰精密机械有限公司"
    kinds = {"firm": EntityType.COMPANY, "ship": EntityType.VESSEL, "who": EntityType.PERSON}
    entries = [Entry(k, "t", "Test", kind, "Jin Tai") for k, kind in kinds.items()]
    screener = Screener.from_entries([*entries, *OTHERS])
    scores = {h.entry.id: h.score for h in screener.screen(query, threshold=0.0)}
    assert scores["firm"] >= 0.84 > max(scores.get("ship", 0.0), scores.get("who", 0.0))
    monkeypatch.setattr(lattice, "_firm", lambda kind, name: True)
    assert {h.entry.id for h in screener.screen(query)} >= {"firm", "ship"}


def test_a_party_of_unknown_kind_is_a_firm_when_its_name_says_so() -> None:
    named = Screener.from_entries(
        [Entry("p", "t", "Test", EntityType.UNKNOWN, "Jin Tai"), *OTHERS]
    ).index
    assert not lattice._firm(EntityType.UNKNOWN.value, named.name(0))
    for firm in ("Jin Tai Technology", "Jin Tai Co., Ltd.", "Hwa Create", "Jintai"):
        index = Screener.from_entries([Entry("f", "t", "Test", EntityType.UNKNOWN, firm)]).index
        assert lattice._firm(EntityType.UNKNOWN.value, index.name(0)), firm


def test_a_firms_trade_name_is_read_in_its_own_order() -> None:
    # 盛丰 is Shengfeng; "Feng Sheng" is 丰盛. A person's name may be written surname last.
    screener = Screener.from_entries([company("fs", "Feng Sheng Co., Ltd."), *OTHERS])
    assert [h.entry.id for h in screener.screen("丰盛软件股份有限公司")] == ["fs"]
    assert screener.screen("盛丰软件股份有限公司") == []
    people = Screener.from_entries(
        [Entry("p", "t", "Test", EntityType.PERSON, "Jianguo Wang"), *OTHERS]
    )
    assert [h.entry.id for h in people.screen("王建国")] == ["p"]


def test_a_place_an_organisation_opens_with_is_read_whole() -> None:
    # The segmenter's best path cuts 无锡 (Wuxi) into 无 | 锡安 ("Zion"); a registered name
    # opens with its place, so the path that keeps it whole is read, and no span cuts it.
    read = lattice.build("无锡安德科技有限公司")
    assert [s.han for s in read.path][:2] == ["无锡", "安"]
    assert not any(s.start == 1 and s.end > 2 for s in read.segments)
    # A place inside the best path is not read in pieces either (上海 | 鑫光: not 海 "hai").
    read = lattice.build("上海鑫光投资集团有限公司")
    assert not any(s.start == 1 or s.end == 1 for s in read.segments)
    screener = Screener.from_entries([company("x", "Xin Guang Hai"), *OTHERS])
    assert screener.screen("上海鑫光投资集团有限公司") == []
    # Nor is a term of the firm's trade (方力 | 物流, logistics: not "Fang Liwu").
    screener = Screener.from_entries([company("fl", "Fang Liwu"), *OTHERS])
    assert screener.screen("方力物流股份有限公司") == []
    # A span that holds the whole place stays (北京航空 is the short name 北航, Beihang).
    assert any(s.han == "北京航空" for s in lattice.build("北京航空航天大学").segments)


def test_a_body_of_a_field_is_met_in_its_field() -> None:
    # 理工大学 reads "institute of technology": met only in "Institute of", it has not found
    # what the body is of, and a university is not the listed institute of another field.
    space = company("s", "Qinghe Institute of Space")
    technology = company("t", "Baishan Institute of Technology")
    screener = Screener.from_entries([space, technology, *OTHERS])
    near = {h.entry.id: h.score for h in screener.screen("青河理工大学", threshold=0.0)}
    assert near.get("s", 0.0) < 0.5  # the place alone: 0.81 when "Institute of" counted
    hits = screener.screen("白山理工大学")
    assert hits and hits[0].entry.id == "t"


def test_a_short_name_leaves_its_kind_of_body_unsaid() -> None:
    # A short name (at most four characters, no legal form, no 集团 or 工业) drops the kind
    # of body a registered name says: unsaid, "Industry" weighs as a word lists add.
    screener = Screener.from_entries(
        [company("q", "Qinghe Aircraft Industry Group Co., Ltd."), *OTHERS]
    )

    def score(query: str) -> float:
        return max(h.score for h in screener.screen(query, threshold=0.0) if h.entry.id == "q")

    assert score("青河飞机") >= score("青河飞机集团")  # the registered name's short form


def test_an_opening_country_is_not_hidden_in_a_word() -> None:
    # The segmenter's best path reads 中国化 ("sinicise") | 工, hiding the country and
    # cutting 化工 (chemical industry): the name is 中国 | 化工, and China counts unmet
    # against a listed description that does not say it.
    assert [s.han for s in lattice.build("中国化工").path] == ["中国", "化工"]
    screener = Screener.from_entries([company("c", "Chemical Industry Company"), *OTHERS])
    assert screener.screen("中国化工") == []


def test_u_with_umlaut_is_read_as_u_too() -> None:
    # Pinyin writes ü as v (吕 lv); English names and the lists mostly write u.
    person = Entry("p", "t", "Test", EntityType.PERSON, "LU, Minghao")
    screener = Screener.from_entries(
        [person, company("c", "LUDI HANGXING TRADING LIMITED"), *OTHERS]
    )
    hits = screener.screen("吕明浩")
    assert hits and hits[0].entry.id == "p"
    assert "吕 -> lu (surname)" in hits[0].reason
    hits = screener.screen("绿地航星贸易有限公司")
    assert hits and hits[0].entry.id == "c"


def test_kinds_of_business_read_as_firms_name_them() -> None:
    # Industry words of registered names read as firms' English names say them (数控 CNC,
    # 码头 terminal, 仓储 warehousing), not only as the dictionary glosses them.
    screener = Screener.from_entries(
        [
            company("c", "QINGLAN CNC MACHINERY CO LTD"),
            company("t", "LANHUI CONTAINER TERMINAL CO LTD"),
            company("w", "HUAIQING WAREHOUSING AND LOGISTICS CO LTD"),
            *OTHERS,
        ]
    )
    for text, expected in (
        ("青岚数控机械有限公司", "c"),
        ("岚汇集装箱码头有限公司", "t"),
        ("怀青仓储物流有限公司", "w"),
    ):
        hits = screener.screen(text)
        assert hits and hits[0].entry.id == expected, text


def test_a_kind_of_business_added_to_a_listed_trade_name_weighs_little() -> None:
    # A registered name adds its kind of business to a listed brand (青岚木 + 赌场, casino):
    # a glossary term, unmet, weighs as an added place does; another trade name does not.
    screener = Screener.from_entries([company("j", "QING LAN MU"), *OTHERS])
    for text in ("青岚木赌场", "青岚木酒店有限公司", "青岚木娱乐有限公司"):
        hits = screener.screen(text)
        assert hits and hits[0].entry.id == "j", text
    assert screener.screen("青岚木华海有限公司") == []


def test_a_hong_kong_firm_named_by_a_common_word_leaves_hong_kong_unsaid() -> None:
    # A trade name that is a common word (钻石, diamond) is read as a description, which is
    # weighed again with its words in full: the listed place it leaves unsaid stays a legal
    # form there too, and "Hong Kong" is one place, not two words each weighing as much.
    screener = Screener.from_entries(
        [company("y", "ZUANSHI TECHNOLOGY HONG KONG CO., LTD."), *OTHERS]
    )
    hits = screener.screen("钻石科技有限公司")
    assert hits and hits[0].entry.id == "y"
    assert screener.screen("钻石电子有限公司") == []  # another kind of business


def test_a_hong_kong_firm_leaves_hong_kong_unsaid() -> None:
    # Hong Kong firms add the place to their English names, not to their Chinese ones; a
    # mainland firm's registered name says its city in both.
    screener = Screener.from_entries(
        [
            company("h", "QINGLAN MARINE HONG KONG LTD"),
            company("o", "HUILAN TRADING MACAU LIMITED"),  # Macau, also a place in Brazil
            company("k", "LANHUI SHIPPING HONGKONG LTD"),  # as firms write it run together
            company("m", "Chengdu Baishan Technology"),
            *OTHERS,
        ]
    )
    hits = screener.screen("青岚海运有限公司")  # at the default threshold: bounds too
    assert hits and hits[0].entry.id == "h"
    assert "leaves unsaid, weighed as a legal form: hong kong" in hits[0].reason
    hits = screener.screen("汇岚贸易有限公司")
    assert hits and hits[0].entry.id == "o"
    hits = screener.screen("岚汇船务有限公司")
    assert hits and hits[0].entry.id == "k"
    assert "weighed as a legal form: hongkong" in hits[0].reason
    assert screener.screen("白山通信科技有限公司") == []
    # A place met in part by the trade name (the Hong of 德宏) is not left unsaid.
    assert screener.screen("德宏海运有限公司") == []


def test_a_mainland_place_is_left_unsaid_only_by_a_name_met_in_full() -> None:
    # A mainland registered name says its city in both scripts, and a trade name is unique
    # only within its register's region: a name that says no place leaves the listed city
    # unsaid only when its trade name (pinyin, two characters at least) and every other
    # listed word are met, and something besides the trade name.
    screener = Screener.from_entries(
        [
            company("s", "Shandong Lanxinda Petrochemical Co., Ltd."),
            company("d", "Dandong Qingmao"),  # a place and a trade name alone
            company("b", "Beijing Yunhuai Lianhe Keji"),  # lianhe: a town, inside the name
            company("g", "Ruiqiao Investment Holding Group Shanghai Co., Ltd."),
            company("e", "Beijing Yuanshi Electronic Co., Ltd."),  # 电气 is "electric"
            *(company(f"p{i}", f"Kalo Petrochemical {i} LLC") for i in range(10)),
            *OTHERS,
        ]
    )
    hits = screener.screen("岚鑫达石化有限公司")  # at the default threshold: bounds too
    assert hits and hits[0].entry.id == "s"
    assert "leaves unsaid, weighed as a legal form: shandong" in hits[0].reason
    assert screener.screen("青茂实业有限公司") == []
    assert screener.screen("云怀科技有限公司") == []
    assert screener.screen("瑞桥控股集团") == []  # "Investment" unmet
    assert screener.screen("源石电气有限公司") == []  # a near word vouches for nothing


def test_national_says_no_more_than_the_country() -> None:
    # 国家 (national, state) is a word lists add at will ("China National ..."): a
    # description does not come closer to a listed one by saying it.
    screener = Screener.from_entries(
        [company("d", "Defense Science and Technology Bureau"), *OTHERS]
    )

    def score(query: str) -> float:
        return max((h.score for h in screener.screen(query, threshold=0.0)), default=0.0)

    assert score("国家国防科技") <= score("国防科技")


def test_an_aircraft_mark_is_no_acronym() -> None:
    # 海洋石油研究院 may read as its words' initials (opri): a listed body of that acronym
    # may be it; an aircraft whose registration mark spells them is not.
    aircraft = Entry("a", "t", "T", EntityType.AIRCRAFT, "EP-OPRI")
    screener = Screener.from_entries([aircraft, company("c", "OPRI"), *OTHERS])
    near = {h.entry.id: h.score for h in screener.screen("海洋石油研究院", threshold=0.0)}
    assert "a" not in near
    assert "c" in near


def test_a_region_is_no_name_for_its_members() -> None:
    # A parenthesised list names what a region holds: reading the region as one of them
    # made a university named after the region meet a listed body named after the member.
    definition = "North Western Ruritania (Qinghe, Baishan, Dongling)/"
    assert lattice.select_glosses(definition, 8, proper=True) == ["north western ruritania"]
    # One name in brackets beside a body's name is still another name for it.
    named = "QBSC (Qinghe Baishan Shipping Company)/"
    assert "qinghe baishan shipping company" in lattice.select_glosses(named, 8, proper=True)


def test_the_place_a_body_stands_is_no_name_for_it() -> None:
    # "Fudan University, Shanghai": the city after a body's name says where it stands. Read
    # as a name, it made the university meet every listed firm of that city.
    for definition in ("Qinglan University, Shanghai/", "Qinglan University (Tianjin)/"):
        assert lattice.select_glosses(definition, 8, proper=True) == ["qinglan university"]
    # A short form beside the name is another name for it; "etc" ends a list, names nothing.
    named = "Qinglan Petroleum Corporation, Qingpec/"
    assert lattice.select_glosses(named, 8, proper=True) == [
        "qinglan petroleum corporation",
        "qingpec",
    ]
    assert lattice.select_glosses("Qinglan Academy, Ruritania etc/", 8, proper=True) == [
        "qinglan academy"
    ]


def test_alternatives_joined_by_or_are_two_senses() -> None:
    # "X or Y", with a cross-reference to another headword: each is a sense of its own.
    definition = (
        "Upper Qinghe or Upper Qinghe special region "
        "上青河特區|上青河特区[Shang4 Qing1 he2 Te4 qu1]/"
    )
    assert lattice.select_glosses(definition, 8, proper=True) == [
        "upper qinghe",
        "upper qinghe special region",
    ]
    # A common word's "X or Y" is one sense.
    assert lattice.select_glosses("more or less/sooner or later") == [
        "more or less",
        "sooner or later",
    ]


def test_research_and_development_as_lists_write_it() -> None:
    # Normalisation writes "Research and Development" as rnd; 研究与发展 must meet it too.
    screener = Screener.from_entries(
        [company("q", "Qilin Optics Research and Development Center"), *OTHERS]
    )
    hits = screener.screen("麒麟光学研究与发展中心")
    assert hits and hits[0].entry.id == "q"


def test_lists_words_for_bodies_of_people() -> None:
    # The words lists use for a clan's or a society's organisation (a trafficking ring, an
    # association), which CC-CEDICT glosses otherwise ("drugs trade", "society").
    screener = Screener.from_entries(
        [
            company("d", "QILIN DRUG TRAFFICKING ORGANIZATION"),
            company("a", "BAISHAN CULTURAL ASSOCIATION"),
            *OTHERS,
        ]
    )
    for query, entry in (("麒麟贩毒组织", "d"), ("白山文化协会", "a")):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == entry, query


def test_a_letters_name_is_no_gloss() -> None:
    # CC-CEDICT glosses 凯 "chi (Greek letter Χχ)": a spelling, not what the word means.
    assert lattice.select_glosses("chi (Greek letter Χχ)/triumphant") == ["triumphant"]
    assert "chi" not in {w for a in lattice._character_senses("凯") for w in a.words}


def test_a_body_known_by_its_short_name_is_read_so_inside_its_dictionary_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CC-CEDICT knows 北京航空航天大学 whole (Beijing University of Aeronautics and
    # Astronautics); its units are listed by the short name 北航, Beihang.
    query = "北京航空航天大学仙都创新研究院"
    read = lattice.build(query)
    assert any(
        a.words == ("beihang",) and a.source == "short pinyin"
        for s in read.segments
        for a in s.alternatives
    )
    listed = company("u", "Beihang University Xiandu Innovation Institute")
    screener = Screener.from_entries([listed, *OTHERS])
    assert [h.entry.id for h in screener.screen(query)] == ["u"]
    monkeypatch.setattr(lattice, "_words_of_names", lambda path, segments: list(path))
    lattice.build.cache_clear()
    try:
        assert screener.screen(query) == []
    finally:
        lattice.build.cache_clear()


def test_a_place_is_met_as_written() -> None:
    # A place is a name: 重庆 is Chongqing, and "Chongbong" (a typo's distance away) is
    # another word. A plural or the same spelling only.
    screener = Screener.from_entries(
        [company("b", "Chongbong Shipping Co Ltd"), company("q", "Chongqing Shipping"), *OTHERS]
    )
    found = {h.entry.id: h.reason for h in screener.screen("重庆航运有限公司", threshold=0.0)}
    assert "重庆~chongqing (place" in found["q"]
    assert "重庆~chongbong" not in found.get("b", "")


def test_a_firm_the_dictionary_knows_with_its_legal_form_is_named_by_its_stem() -> None:
    # CC-CEDICT knows 保利科技有限公司 (Poly Technologies) and not 保利科技: the words before
    # a legal form, or with none, or with another, read as the dictionary's firm.
    for han in ("保利科技", "保利科技股份有限公司", "北京保利科技有限责任公司"):
        read = lattice.build(han, False)
        names = {
            a.words
            for s in read.segments
            if s.han == "保利科技"
            for a in s.alternatives
            if a.source == "CC-CEDICT name"
        }
        assert ("poly", "technologies") in names, han
    listed = Screener.from_entries([company("poly", "Poly Technologies Inc."), *OTHERS])
    hits = listed.screen("保利科技")
    assert hits and hits[0].entry.id == "poly"


def test_the_word_holding_an_opening_place_does_not_run_into_a_term() -> None:
    # The segmenter reads 中国化工材料集团 as 中国化 ("sinicise") | 工 | ...: the country is
    # hidden in a word and the industry (化工, chemical) read through one character. The path
    # that cuts no term after the place is read; a word holding place and terms whole stays.
    read = lattice.build("中国化工材料集团")
    assert [s.han for s in read.path][:2] == ["中国", "化工"]
    assert [s.han for s in lattice.build("北京航空航天大学").path] == ["北京航空航天大学"]


def test_one_common_word_weighs_its_country_and_kind_of_body_in_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 中国纺织集团 is China Textile Group: beside one common word, 中国 and 集团 are all the
    # query says, and the listed "Textile Group" (of no stated country) does not say China.
    # 联合科技 is a technology firm called "united" or "alliance": not the listed Alliance
    # Company, as "Alliance Technology" is not in Latin.
    screener = Screener.from_entries(
        [company("tg", "Textile Group"), company("ac", "Alliance Company"), *OTHERS]
    )
    assert screener.screen("中国纺织集团") == []
    assert screener.screen("联合电子有限公司") == []
    assert screener.screen("联合集团") == []
    assert [h.entry.id for h in screener.screen("纺织集团")] == ["tg"]
    monkeypatch.setattr(lattice, "char_weights", _light_weights(lattice.char_weights))
    assert [h.entry.id for h in screener.screen("中国纺织集团")] == ["tg"]
    assert [h.entry.id for h in screener.screen("联合集团")] == ["ac"]


def _light_weights(char_weights: Any) -> Any:
    """char_weights as it was: the country and descriptors always weigh as a legal form."""

    def weights(read: Any, weigh: Any, legal_weight: float, full: bool = False) -> Any:
        return char_weights(read, weigh, legal_weight)

    return weights


def test_a_firm_whose_own_name_is_unmet_is_not_found_by_its_description(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 杭州明科纺织 is a firm called 明科; the listed "HZ Textile Technology" says Hangzhou
    # (HZ), textile and technology, and meets 科 only as a guess at 科技: the query's
    # description meets the listed one, its name does not.
    screener = Screener.from_entries([company("hz", "HZ Textile Technology Co., Ltd."), *OTHERS])
    assert lattice.own_name(lattice.build("杭州明科纺织有限公司")) == frozenset({2, 3})
    assert lattice.own_name(lattice.build("杭州纺织科技有限公司")) == frozenset()
    assert screener.screen("杭州明科纺织有限公司") == []
    assert [h.entry.id for h in screener.screen("杭州纺织科技有限公司")] == ["hz"]
    monkeypatch.setattr(lattice, "own_name", lambda read: frozenset())
    assert [h.entry.id for h in screener.screen("杭州明科纺织有限公司")] == ["hz"]


def test_a_listed_trade_of_its_own_keeps_the_query_kind_of_business_weighing() -> None:
    # "Qinglan Bank" found in 青岚科技有限公司: the listed name says a trade of its own, so
    # the query's 科技 (technology), which weighs as a legal form where lists drop it, names
    # another business and weighs what "technology" weighs.
    def coverage(tokens: tuple[str, ...]) -> float:
        return _han_coverage("青岚科技有限公司", tokens)

    assert coverage(("qinglan", "bank")) < 0.6 < 0.9 < coverage(("qinglan", "limited"))


def test_a_lone_character_between_terms_is_no_name_of_its_own() -> None:
    # 与 ("and") in 海洋防务与信息对抗 has no gloss of its own: one character left between
    # terms is no trade name, and the description around it is all the name says.
    assert lattice.own_name(lattice.build("昆仑海洋防务与信息对抗有限公司")) == frozenset({0, 1})


def test_guesses_that_agree_make_a_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    # An abbreviated name keeps one character of each word (沈 | 飞 | 电 for 沈阳 | 飞机 | 电子):
    # each character read as a word's head is a guess, and three of them meeting three words
    # of one listed name found whole are a reading. Two guesses are not enough.
    three = Screener.from_entries(
        [company("x", "Shenyang Aircraft Electronics Co., Ltd."), *OTHERS]
    )
    two = Screener.from_entries([company("x", "Shenyang Aircraft Co., Ltd."), *OTHERS])
    hits = three.screen("沈飞电有限公司")
    assert hits and hits[0].entry.id == "x"
    assert "沈 -> shenyang (abbreviation)" in hits[0].reason
    assert two.screen("沈飞有限公司") == []
    monkeypatch.setattr(lattice, "AGREEING_GUESSES", 4)
    assert three.screen("沈飞电有限公司") == []


def test_a_word_of_the_group_short_name_said_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # "CNAEG Aero Power": the subsidiary's English name says again a word its group's short
    # name stands for (航 in 中国航发 is the head of 航空, aero); 中国航发动力 says it once.
    monkeypatch.setattr(lattice, "registry_alternatives", dict)
    group = company("grp", "China National Aero Engine Group", "CNAEG")
    sub = company("sub", "CNAEG Aviation Power Co., Ltd.")
    screener = Screener.from_entries([group, sub, *OTHERS])
    hit = screener.screen("中国航发动力股份有限公司")[0]
    assert hit.entry.id == "sub"
    assert "航~aviation (abbreviation" in hit.reason
    said_once = hit.score
    monkeypatch.setattr(lattice, "_said_again", lambda *args: [])
    hits = screener.screen("中国航发动力股份有限公司", threshold=0.0)
    assert hits[0].entry.id == "sub" and hits[0].score < said_once - 0.05


def test_a_description_met_by_a_description_keeps_its_country(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 中国航空器材集团 (best path 航空器 | 材) is all description: met by the listed
    # "Aviation Equipment" of another country, its country 中国 weighs as "China" does in a
    # Latin name, and no hit is made; the listed "China Aviation Equipment" is found.
    other = company("ae", "Joint Stock Company Aviation Equipment")
    china = company("cae", "China Aviation Equipment Corporation")
    screener = Screener.from_entries([other, china, *OTHERS])
    assert [h.entry.id for h in screener.screen("中国航空器材集团有限公司")] == ["cae"]
    # Without the country the description is the listed one.
    assert screener.screen("航空器材有限公司")[0].entry.id == "ae"
    monkeypatch.setattr(lattice, "_described_only", lambda alignment, read: False)
    alone = Screener.from_entries([other, *OTHERS])
    assert [h.entry.id for h in alone.screen("中国航空器材集团有限公司")] == ["ae"]


def test_carbon_and_a_unit_are_domain_words() -> None:
    # CC-CEDICT knows 炭 only as charcoal; 炭素 and 碳素 are the carbon of a carbon works.
    screener = Screener.from_entries(
        [company("c", "Xinjin Carbon Co., Ltd."), company("f", "Desert Flying Service"), *OTHERS]
    )
    hits = screener.screen("新津炭素有限公司")
    assert hits and hits[0].entry.id == "c"
    assert "炭素 -> carbon (glossary)" in hits[0].reason
    assert screener.screen("新津石墨有限公司") == []  # graphite is another trade
    # 队 (a unit: 服务队, a service) said of a listed body is the body, as 厂 or 分公司 are.
    flying = screener.screen("沙漠飞行服务队")
    assert flying and flying[0].entry.id == "f"
    assert flying[0].score > screener.screen("沙漠飞行服务")[0].score - 0.01


def test_freight_forwarding_is_a_trade_word() -> None:
    # 货运代理 is a freight forwarder: CC-CEDICT reads 代理 as acting as an agent.
    screener = Screener.from_entries(
        [company("ff", "Jiangbei Yuxing International Forwarding Co., Ltd."), *OTHERS]
    )
    hits = screener.screen("江北玉星国际货运代理有限公司")
    assert hits and hits[0].entry.id == "ff"
    assert "forwarding (glossary" in hits[0].reason


def test_the_dictionarys_counties_and_cities_are_places() -> None:
    # CC-CEDICT names 义乌 "Yiwu county level city in Jinhua": a place the glossary does not
    # list, read as one (1.0) rather than spelled (pinyin, 0.95).
    screener = Screener.from_entries([company("yw", "Yiwu Qiyue Textile Co., Ltd."), *OTHERS])
    hits = screener.screen("义乌启越纺织有限公司")
    assert hits and hits[0].entry.id == "yw"
    assert "义乌 -> yiwu (place)" in hits[0].reason
    # Its administrative kind is part of its dictionary name, so no city code (LJ) spells it.
    assert "lj" not in lattice.words(lattice.build("连江县"))
    # 深圳市 stays the glossary's 深圳, city code and all (SZ DJI).
    assert "sz" in lattice.words(lattice.build("深圳市大疆创新科技有限公司"))


def test_an_acronym_the_entry_spells_out_stands_for_those_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 贵阳航天精工 reads G(uiyang) S(pace) P(recision) C(ompany), as lists write acronyms; the
    # entry's GSPC stands for its French name's words, none of which the query says.
    salin = company("g", "Groupe Salin pour la Paix et le Commerce", "GSPC")
    screener = Screener.from_entries([salin, *OTHERS])
    assert "gspc" in lattice.words(lattice.build("贵阳航天精工有限公司"))
    assert screener.screen("贵阳航天精工有限公司") == []
    # Initials the index derives from a name are spelled out by that name: 上海电气集团
    # (Shanghai Electric Group) does not meet the SEGC of "Serra Elvino Gusto Cantina".
    serra = Screener.from_entries([company("x", "Serra Elvino Gusto Cantina"), *OTHERS])
    monkeypatch.setattr(lattice, "_derived_kind", lambda: None)
    assert all(h.entry.id != "x" for h in serra.screen("上海电气集团", threshold=0.0))
    # An acronym no name of its entry spells out is still read from the words' initials.
    bridge = Screener.from_entries([company("b", "GSPC Guiyang Branch"), *OTHERS])
    assert [h.entry.id for h in bridge.screen("贵州航天精工贵阳分公司", threshold=0.5)] == ["b"]


def test_a_trade_name_the_dictionary_does_not_know_stands_with_its_initials() -> None:
    # 琦祥睿 is three lone characters on the best path: a trade name, written QXR in English.
    screener = Screener.from_entries(
        [
            company("q", "Hefei QXR Optoelectronic Technology Co., Ltd."),
            company("h", "Hefei HY Optoelectronic Co."),
            *OTHERS,
        ]
    )
    hits = screener.screen("合肥琦祥睿光电科技有限公司")
    assert hits and hits[0].entry.id == "q"
    assert "-> qxr (initials)" in hits[0].reason
    # Two letters spell too many names: 华亚 is not HY.
    assert screener.screen("合肥华亚光电有限公司") == []


def test_a_public_body_named_before_its_unit_weighs_as_a_place() -> None:
    # 中国人民解放军 opens the official names of the army's units; a list names the unit
    # alone. Unsaid by the listed name, it weighs as a place added to a name does.
    screener = Screener.from_entries(
        [
            company("u", "Harbin University of Defense Technology"),
            company("x", "Electronics Institute"),
            *(company(f"e{n}", f"Ortho{n} Electronics Institute") for n in range(5)),
            *OTHERS,
        ]
    )
    hits = screener.screen("中国人民解放军哈尔滨国防科技大学")
    assert hits and hits[0].entry.id == "u"
    assert hits[0].score > screener.screen("哈尔滨国防科技大学")[0].score - 0.05
    # Only before a name that says one body: many listed names are an "Electronics
    # Institute", and the academy is what tells this one apart.
    assert screener.screen("中国科学院电子学研究所") == []


def test_a_public_body_both_names_say_does_not_tell_its_units_apart() -> None:
    # The Institute of Optics of the academy is not its Qingdao Institute of Applied Optics:
    # the academy both names say is whose unit each is, not which.
    listed = company("q", "Qingdao Institute of Applied Optics, Chinese Academy of Sciences")
    screener = Screener.from_entries([listed, *OTHERS])
    assert screener.screen("中国科学院光学研究所") == []
    hits = screener.screen("中国科学院青岛应用光学研究所")
    assert hits and hits[0].entry.id == "q"


def test_a_registry_names_place_the_list_leaves_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # The registry's English name says where the firm stands ("Beijing Quorvane Materials");
    # the list leaves the place out. Found by its own word, the firm is found.
    registry = {
        "北京林夸材料科技有限公司": (
            lattice.Alternative(("beijing", "quorvane", "materials"), "alias registry"),
        ),
        "台湾积夸电路制造有限公司": (
            lattice.Alternative(
                ("taiwan", "semiconductor", "manufacturing", "company"), "alias registry"
            ),
        ),
    }
    monkeypatch.setattr(lattice, "registry_alternatives", lambda: registry)
    screener = Screener.from_entries(
        [
            company("q", "Quorvane Materials Co., Ltd."),
            company("s", "Semiconductor Manufacturing Worldwide Corporation"),
            *(company(f"w{n}", f"Ortho{n} Worldwide Trading") for n in range(20)),
            *OTHERS,
        ]
    )
    hits = screener.screen("北京林夸材料科技有限公司")
    assert hits and hits[0].entry.id == "q" and hits[0].score > 0.95
    # Met through common words alone, the place is what sets the firm apart.
    assert all(h.entry.id != "s" for h in screener.screen("台湾积夸电路制造有限公司"))


@pytest.mark.parametrize(
    ("gloss", "place"),
    [
        ("Jinan, subprovincial city and capital of Shandong province", "jinan"),
        ("refers to Dr Sun Yat-sen/Zhongshan, prefecture-level city in Guangdong", "zhongshan"),
        ("Lianjiang county in Fuzhou", "lianjiang"),
        ("turban/headband", None),
        ("Sun Yat-sen/founder of the republic", None),
    ],
)
def test_a_dictionary_sense_that_is_an_administrative_division_names_a_place(
    gloss: str, place: str | None
) -> None:
    assert lattice._administrative(gloss) == place


def test_a_name_opens_with_a_dictionary_place_kept_whole() -> None:
    # 济南通泰 is read 济 | 南通 ("Nantong") | 泰 by the segmenter's best path; a registered
    # name opens with its place, and the dictionary knows 济南 as a city.
    read = lattice.build("济南通泰机械有限公司")
    assert [s.han for s in read.path[:2]] == ["济南", "通"]
    screener = Screener.from_entries(
        [
            company("j", "Jinan Tongtai Machinery Co., Ltd."),
            company("n", "Nantong Tai Co."),
            *OTHERS,
        ]
    )
    hits = screener.screen("济南通泰机械有限公司")
    assert hits and hits[0].entry.id == "j" and hits[0].score > 0.95


def test_a_description_does_not_find_a_firm_whose_initials_it_leaves_unsaid() -> None:
    # 合肥光电技术 is a place, a trade and a kind of body: no firm's own name. The listed
    # firm's own name is its initials, QXR; another listed firm is that description.
    screener = Screener.from_entries(
        [
            company("q", "Hefei QXR Optoelectronic Technology Co., Ltd."),
            company("d", "Hefei Optoelectronic Technology Company"),
            *OTHERS,
        ]
    )
    assert [h.entry.id for h in screener.screen("合肥光电技术有限公司")] == ["d"]
    hits = screener.screen("合肥琦祥睿光电科技有限公司")
    assert hits and hits[0].entry.id == "q"


def test_a_translation_meets_a_listed_word_written_in_two() -> None:
    # 光电 is optoelectronic(s); the list writes "Opto-Electronics", two words.
    screener = Screener.from_entries(
        [
            company("o", "Hefei Opto-Electronics Instruments Co."),
            company("m", "Micro Opto Co."),
            *OTHERS,
        ]
    )
    hits = screener.screen("合肥光电仪器有限公司")
    assert hits and hits[0].entry.id == "o" and hits[0].score > 0.95
    assert "光电 -> opto electronics" in hits[0].reason


def test_a_place_after_a_lone_character_is_not_where_a_name_stands() -> None:
    # 济 | 南县 ("Nan county") on the segmenter's path: one character is no name to stand
    # somewhere, and more likely begins a city the path cut (济南). The county counts.
    assert [s.han for s in lattice.build("济南县").path] == ["济", "南县"]
    assert lattice.located(lattice.build("济南县")) == frozenset()
    # After a name of two characters, a place says where the firm stands.
    assert lattice.located(lattice.build("林夸深圳分公司")) == frozenset(range(2, 7))


def test_a_lone_character_after_the_opening_place_is_the_firms_own_name() -> None:
    # 北京 | 宇 | 光电子: the segmenter gave 宇光's second character to the term. Where the
    # law puts a trade name, one character names the firm, and a listed description
    # ("Beijing Opto-Electronics Technology") that does not say it is not that firm.
    read = lattice.build("北京宇光电子科技有限公司")
    assert [s.han for s in read.path[:3]] == ["北京", "宇", "光电子"]
    assert lattice.own_name(read) == frozenset({2})
    screener = Screener.from_entries(
        [company("d", "Beijing Opto-Electronics Technology Company"), *OTHERS]
    )
    assert screener.screen("北京宇光电子科技有限公司") == []
    assert [h.entry.id for h in screener.screen("北京光电子科技有限公司")] == ["d"]


def test_a_word_glossed_only_as_a_verb_reads_as_that_verb() -> None:
    # 飞跃 is "to leap" and nothing else: a trade name, written "Leap" in English. A word
    # with a noun sense keeps only that (发展: development, not "develop").
    assert ("leap",) in [a.words for s in lattice.build("飞跃").segments for a in s.alternatives]
    development = [a.words for s in lattice.build("发展").segments for a in s.alternatives]
    assert ("development",) in development and ("develop",) not in development
    screener = Screener.from_entries([company("s", "Hefei Sky Leap Instruments Co."), *OTHERS])
    hits = screener.screen("合肥天空飞跃仪器有限公司")
    assert hits and hits[0].entry.id == "s" and hits[0].score > 0.95


def test_a_translation_meets_a_listed_word_written_run_together() -> None:
    # 香港 is "hong kong"; the list writes "Hongkong", one word.
    screener = Screener.from_entries(
        [company("h", "LANYUE SHIPPING HONGKONG LTD"), company("k", "Kong Shipping Co."), *OTHERS]
    )
    hits = screener.screen("澜跃航运（香港）有限公司")
    assert hits and hits[0].entry.id == "h" and hits[0].score > 0.95
    assert "香港 -> hongkong" in hits[0].reason


def test_a_registry_name_holds_under_another_limited_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The registry pairs the 股份有限公司 form; a contract writes 有限公司, and a German arm's
    # parent is rebuilt with 有限公司: the same firm.
    registry = {
        "北京林夸材料高科技股份有限公司": (
            lattice.Alternative(("quorvane", "materials"), "alias registry"),
        ),
    }
    monkeypatch.setattr(lattice, "registry_alternatives", lambda: registry)
    lattice.build.cache_clear()
    screener = Screener.from_entries([company("q", "Quorvane Materials Co., Ltd."), *OTHERS])
    for name in ("北京林夸材料高科技有限公司", "北京林夸材料高科技（德国）有限公司"):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "q" and hits[0].score > 0.9, name
    lattice.build.cache_clear()


@pytest.mark.parametrize(
    ("reading", "listed", "expected"),
    [
        ("tailong", "thailong", True),  # th is no pinyin initial: a brand's styling
        ("shenrun", "sheenrun", True),  # she-en-run is three syllables, not two
        ("mingheng", "mingzheng", False),  # ming-zheng: two syllables, another name
        ("kangtong", "kangbong", False),  # a letter changed, not added
        ("zhongshengci", "zhongsheng", False),  # a letter less
        ("tailong", "atailong", False),  # the letter must not open the word
        ("huali", "hualli", False),  # too short to tell a styling from a slip
        ("cpmiesc", "cpmiecs", False),  # initials, not pinyin
        ("jinli", "jinly", True),  # a closing i written y: no pinyin syllable ends on y
        ("li", "ly", False),  # one syllable: a word, not a trade name
        ("jinlin", "jinlyn", False),  # only a closing i
    ],
)
def test_a_brand_restyling_adds_one_letter_that_is_no_pinyin(
    reading: str, listed: str, expected: bool
) -> None:
    assert lattice.respells(reading, listed) is expected


def test_a_trade_names_pinyin_meets_its_brand_restyling() -> None:
    # 泰兴 reads taixing; the list writes the brand "Thaixing". A letter that turns the
    # reading into other syllables (明恒 mingheng, "Mingzheng") is another firm.
    screener = Screener.from_entries(
        [
            company("t", "Ningde Thaixing Hotel Co., Ltd."),
            company("m", "Ningde Mingzheng Hotel Co., Ltd."),
            *OTHERS,
        ]
    )
    hits = screener.screen("宁德泰兴酒店有限公司")
    assert hits and hits[0].entry.id == "t" and hits[0].score > 0.9
    assert "泰兴 -> thaixing" in hits[0].reason
    assert not any(h.entry.id == "m" for h in screener.screen("宁德明恒酒店有限公司"))


def test_a_closing_i_written_y_meets_its_reading() -> None:
    # 金利 reads jinli; the list writes the brand "Jinly" (found by a transliteration-kind
    # match, which a lattice word otherwise never takes).
    screener = Screener.from_entries([company("j", "Dalian Jinly Carbon Co., Ltd."), *OTHERS])
    hits = screener.screen("大连金利炭素有限公司")
    assert hits and hits[0].entry.id == "j"


def test_an_adjective_in_ical_meets_the_study_in_ics() -> None:
    # The glossary gives 光电 as "optical electronic"; the list writes "Optics and Electronics".
    assert lattice.disciplines("optical", {"optics", "opticology"}.__contains__)[0] == "optics"
    screener = Screener.from_entries(
        [company("w", "Harbin Weilanxin Optics and Electronics Co., Ltd."), *OTHERS]
    )
    hits = screener.screen("哈尔滨威兰鑫光电有限公司")
    assert hits and hits[0].entry.id == "w" and hits[0].score > 0.9


@pytest.mark.parametrize(
    ("han", "listed"),
    [
        # CC-CEDICT: 铁道 "railway line", 环球 "around the world", 特种 "special type".
        ("云岚铁道建筑集团有限公司", "Yunlan Railway Construction Group Co., Ltd."),
        ("厦门环球瑞岚航运有限公司", "Xiamen Global Ruilan Shipping Co., Ltd."),
        ("江阴丰岚特种合金有限公司", "Jiangyin Fenglan Special Alloy Co., Ltd."),
        # CC-CEDICT: 无损 "not damaged"; the industry's word is nondestructive (testing).
        ("大连岚峰无损电子有限公司", "Dalian Lanfeng Nondestructive Electronics Co., Ltd."),
        # 石油化工 is split into petroleum and chemical; the industry's word is petrochemical.
        ("山东岚旺石油化工有限公司", "Shandong Lanwang Petrochemical Co., Ltd."),
        # CC-CEDICT: 无线电 "wireless", 测量 "survey".
        ("北京岚航无线电测量研究所", "Beijing Lanhang Institute of Radio Measurement"),
        # China and a partner, as a joint venture's English name writes them.
        ("福州中欧岚泰进出口有限公司", "Fuzhou Sino-Euro Lantai Import and Export Co., Ltd."),
        # 科学技术 is 科技 written out: "technology" as well as "science and technology".
        ("岚峰防务科学技术大学", "Lanfeng University of Defense Technology"),
        # CC-CEDICT: 运载火箭 "carrier rocket"; the industry's word is launch vehicle.
        ("岚峰运载火箭技术研究院", "Lanfeng Academy of Launch Vehicle Technology"),
    ],
)
def test_glossary_terms_read_as_the_lists_write_them(han: str, listed: str) -> None:
    screener = Screener.from_entries([company("r", listed), *OTHERS])
    hits = screener.screen(han)
    assert hits and hits[0].entry.id == "r" and hits[0].score > 0.95


def test_a_persons_name_is_not_a_firm_its_surname_reads() -> None:
    # 蓝宇 is surname Lan and given name Yu: one person, not the firm "Lan S.A." nor the
    # ship "LAN". Yu is on many listed names, as on the real lists, so it weighs little and
    # the surname alone would make the hit. A two-character brand read whole is still found.
    yus = [Entry(f"y{n}", "t", "Test", EntityType.PERSON, f"YU, Orth{n}") for n in range(60)]
    screener = Screener.from_entries(
        [
            company("firm", "Lan S.A."),
            Entry("ship", "t", "Test", EntityType.VESSEL, "LAN"),
            Entry("person", "t", "Test", EntityType.PERSON, "LAN, Yu"),
            company("brand", "Zhuowei Co., Ltd."),
            *OTHERS,
            *yus,
        ]
    )
    hits = screener.screen("蓝宇")
    assert hits and hits[0].entry.id == "person"
    assert not {"firm", "ship"} & {h.entry.id for h in hits}
    hits = screener.screen("卓维")
    assert hits and hits[0].entry.id == "brand" and hits[0].score > 0.9


def test_a_gloss_meets_the_listed_word_derived_from_it() -> None:
    # 机器 machine, listed as the industry says it: machinery.
    screener = Screener.from_entries(
        [company("m", "Tianjin Lanxing Machinery Manufacturing Co., Ltd."), *OTHERS]
    )
    hits = screener.screen("天津岚星机器制造有限公司")
    assert hits and hits[0].entry.id == "m"
    assert "机器 -> machinery" in hits[0].reason


def test_a_place_read_again_in_a_short_name_is_no_short_name() -> None:
    # 大连市 | 联合: the heads 大 and 联 spell "dalian", which is how 大连市 is read, so no
    # short name is guessed from them to take the place's listed word from 大连市 and leave
    # 联合 (Lianhe) without one.
    for han, listed in (
        ("大连市联合实业有限公司", "Dalian Lianhe Industrial Co., Ltd."),
        ("丹东市东方实业有限公司", "Dandong Dongfang Industrial Co., Ltd."),
    ):
        screener = Screener.from_entries([company("d", listed), *OTHERS])
        hits = screener.screen(han)
        assert hits and hits[0].entry.id == "d" and hits[0].score > 0.95, han


def test_words_read_one_by_one_beat_an_acronym_of_the_whole_name() -> None:
    # The whole name's acronym (TACEI) meets one listed word; its words meet five.
    screener = Screener.from_entries(
        [company("t", "Tianjin Automation Control Equipment Institute (TACEI)"), *OTHERS]
    )
    hits = screener.screen("天津自动化控制设备研究所")
    assert hits and hits[0].entry.id == "t" and hits[0].score > 0.95
    # ... but no guess breaks a trade name up to do it (通联 is no 通 and 联).
    screener = Screener.from_entries(
        [company("u", "China United Network Communications Group Co., Ltd."), *OTHERS]
    )
    assert screener.screen("通联网络科技有限公司") == []


def test_a_description_is_not_one_that_says_more() -> None:
    # Places and common words name no firm: 中国轴承进出口 (China Bearing Import and Export)
    # leaves out the listed description's weightiest word, so it is another trading firm;
    # the listed firm's own Chinese name says it and is found.
    screener = Screener.from_entries(
        [company("p", "China Precision Bearing Import-Export Corp."), *OTHERS]
    )
    assert screener.screen("中国轴承进出口（集团）有限公司") == []
    hits = screener.screen("中国精密轴承进出口总公司")
    assert hits and hits[0].entry.id == "p"


def test_a_given_name_in_characters_is_one_name() -> None:
    # 乔文斌 met as 乔 | 斌 is not QIAO, Bin: its given name 文斌 is one, and 文 is unmet.
    people = [Entry(f"o{n}", "t", "Test", EntityType.PERSON, f"QIAO, Orth{n}") for n in range(30)]
    listed = Entry("b", "t", "Test", EntityType.PERSON, "QIAO, Bin")
    screener = Screener.from_entries([listed, *people, *OTHERS])
    assert all(h.entry.id != "b" for h in screener.screen("乔文斌", threshold=0.5))
    hits = screener.screen("乔斌")
    assert hits and hits[0].entry.id == "b"


def test_a_description_leaving_out_the_field_a_body_is_of_is_another_body() -> None:
    # "Technology" is a word lists add to firms' names at will, but in "University of Radar
    # Technology" it is the field the university is of: 雷达大学 (Radar University) is
    # another body; the body's own name says it and is found. Weighing that word in full
    # must not let a description that leaves out another word of the field (marine) in.
    screener = Screener.from_entries(
        [
            company("u", "National University of Radar Technology"),
            company("e", "University of Marine Science and Technology of China"),
            *OTHERS,
        ]
    )
    assert screener.screen("国家雷达大学") == [] and screener.screen("雷达大学") == []
    hits = screener.screen("国家雷达技术大学")
    assert hits and hits[0].entry.id == "u"
    assert screener.screen("中国科学技术大学") == []
    hits = screener.screen("中国海洋科学技术大学")
    assert hits and hits[0].entry.id == "e"


def test_a_single_digit_before_a_numbered_body_is_its_number() -> None:
    # 八院 is the 8th Academy, 三所 the No. 3 institute; alone, a number and what it numbers
    # say which unit, not whose; and "No. 3" is not met by the "No" of "No. 11".
    screener = Screener.from_entries(
        [
            company("a8", "Kunlun Aerospace Group 8th Academy"),
            company("a4", "Kunlun Aerospace Group Fourth Academy"),
            company("i11", "Kunlun Electronics Group No. 11 Research Institute"),
            *OTHERS,
        ]
    )
    hits = screener.screen("昆仑航天八院")
    assert hits and hits[0].entry.id == "a8"
    hits = screener.screen("昆仑航天四院")
    assert hits and hits[0].entry.id == "a4"
    assert screener.screen("四院") == [] and screener.screen("第四研究院") == []
    assert all(h.entry.id != "i11" for h in screener.screen("昆仑电子三所", threshold=0.75))
    hits = screener.screen("昆仑电子十一所")
    assert hits and hits[0].entry.id == "i11"


def test_a_kind_of_business_said_otherwise_is_contradicted() -> None:
    # 科技 (science and technology) meets the "Science and" of "Science and Industry" and
    # contradicts its "Industry": 昆仑航天科技 is the other group, as in Latin.
    screener = Screener.from_entries(
        [
            company("ind", "Kunlun Aerospace Science and Industry Corporation Fourth Academy"),
            *OTHERS,
        ]
    )
    assert screener.screen("昆仑航天科技四院") == []
    assert screener.screen("昆仑航天科技集团有限公司第四研究院") == []
    for name in ("昆仑航天科工四院", "昆仑航天科工集团有限公司第四研究院"):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "ind", name


def test_a_part_named_after_a_listed_university_is_that_university() -> None:
    # An institute, a college or a hospital named after a listed university's whole name is
    # a part of it, as "Shenzhen Branch" is of a firm: only a little lower. Not after a firm,
    # whose institutes the lists name apart, and not when the university is not said whole.
    screener = Screener.from_entries(
        [
            company("u", "Kunlun University of Radar Science"),
            company("f", "Beijing Lanfeng Aerospace Technology Co., Ltd."),
            *OTHERS,
        ]
    )
    alone = screener.screen("昆仑雷达科学大学")[0].score
    for name in ("昆仑雷达科学大学附属医院", "昆仑雷达科学大学高等研究院"):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "u" and alone - hits[0].score < 0.05, name
    assert screener.screen("昆仑师范大学") == []
    assert screener.screen("北京岚峰航天控制仪器研究所") == []


def test_china_unsaid_by_a_listed_name_met_by_one_word_counts_unmet() -> None:
    # 中国 weighs as lightly as a descriptor, but against a listed name that does not say
    # China and is met by one common word (petrochemical), it is a word left unmet, as
    # "China" is in Latin; a listed name found whole (Kunlun Petrochemical) is qualified by it.
    screener = Screener.from_entries(
        [
            company("n", "National Petrochemical Company"),
            company("k", "Kunlun Petrochemical Company"),
            *OTHERS,
        ]
    )
    for name in ("中国石油化工股份有限公司", "中国石化"):
        assert all(h.entry.id != "n" for h in screener.screen(name, threshold=0.7)), name
    hits = screener.screen("中国昆仑石油化工股份有限公司")
    assert hits and hits[0].entry.id == "k" and hits[0].score > 0.95


def test_a_name_in_two_scripts_names_one_party() -> None:
    # The Latin part met only by a guess (a listed name's initials, a slip) is too little
    # when the Chinese part does not come near the same party.
    screener = Screener.from_entries(
        [
            company("q", "Qarvan Marine Exchange Company"),  # initials QMEC
            company("l", "Lanhai Microelectronics Engineering Company"),  # initials LMEC
            *OTHERS,
        ]
    )
    assert [h.entry.id for h in screener.screen("QMEC")] == ["q"]
    assert screener.screen("岚海微电子 QMEC") == []
    hits = screener.screen("岚海微电子 LMEC")
    assert hits and hits[0].entry.id == "l"


def test_a_long_dictionary_word_is_also_read_by_its_own_words() -> None:
    # 国际货运代理 is one word of the dictionary, "international transport agency"; its own
    # words 国际 | 货运 | 代理 say "international freight agency", as the list writes it.
    screener = Screener.from_entries(
        [
            company("f", "Wuxi Taolan International Freight Agency Co., Ltd."),
            company("g", "Wuxi Taolan International Trading Co., Ltd."),
            *OTHERS,
        ]
    )
    hits = screener.screen("无锡陶兰国际货运代理有限公司")
    assert hits and hits[0].entry.id == "f" and hits[0].score > 0.95
    assert "货运 -> freight" in hits[0].reason
    # Another trade of the same firm's name is not met by it.
    assert not any(h.entry.id == "f" for h in screener.screen("无锡陶兰国际贸易有限公司"))


def test_a_word_translated_twice_meets_both_listed_words() -> None:
    # 能源 is "energy" and "power source": a list that writes "Energy Sources" has both.
    screener = Screener.from_entries(
        [company("e", "Wuxi Taolan Energy Sources Group Co., Ltd."), *OTHERS]
    )
    hits = screener.screen("无锡陶兰能源集团有限公司")
    assert hits and hits[0].entry.id == "e" and hits[0].score > 0.95
    assert "能源~energy" in hits[0].reason and "能源~sources" in hits[0].reason


def test_a_proper_names_description_without_the_name_meets_nothing() -> None:
    # The dictionary describes 南京 as "capital of China at different historical periods":
    # without the name, its words are no reading of a listed "... of China".
    def matcher(word: str, strict: bool) -> list[tuple[str, float]]:
        return [(word, 1.0)]

    tokens = ("taolan", "institute", "of", "china")
    found = lattice.align(
        tokens, (10.0, 2.0, 0.5, 2.0), lattice.build("南京陶兰研究所"), matcher, lambda w: 5.0, 0.5
    )
    met = {tokens[j] for step in found.steps for _, j, _ in step.pairs}
    assert "institute" in met and not met & {"of", "china"}


def test_a_query_that_adds_trades_to_a_listed_trade_names_another_business() -> None:
    # "Taolan Shipping" is found whole in 陶兰国际船舶管理有限公司, whose 国际 (international)
    # and 管理 (management) say a business of their own beside the listed trade: they weigh,
    # as in "Taolan International Ship Management" against "Taolan Shipping" in Latin.
    screener = Screener.from_entries([company("s", "Taolan Shipping Company"), *OTHERS])
    assert not screener.screen("陶兰国际船舶管理有限公司")
    # A branch and its place still weigh little.
    hits = screener.screen("陶兰船舶有限公司深圳分公司")
    assert hits and hits[0].entry.id == "s" and hits[0].score > 0.9


def test_a_listed_slip_of_two_letters_swapped_in_a_trade_names_pinyin() -> None:
    # The list writes 华星 (huaxing) as "Hauxing", which no pinyin spells: a slip. "Miehua"
    # is 美华 (meihua) swapped too, but spells mie hua: another name.
    screener = Screener.from_entries(
        [
            company("h", "Ningbo Hauxing Electronics Co., Ltd."),
            company("m", "Ningbo Miehua Electronics Co., Ltd."),
            *OTHERS,
        ]
    )
    hits = screener.screen("宁波华星电子有限公司")
    assert hits and hits[0].entry.id == "h" and "华 星~hauxing" in hits[0].reason
    assert not screener.screen("宁波美华电子有限公司")


def test_no_guess_breaks_a_long_dictionary_word_up() -> None:
    # 航空航天 (aerospace) read by its own words may not take 航空's initials, HK, for a
    # listed "HK": the words of a long word are read by what they say.
    screener = Screener.from_entries(
        [company("k", "Shenzhen HK Aerospace Technology Co Ltd"), *OTHERS]
    )
    assert not screener.screen("深圳航空航天技术有限公司")


def test_a_name_without_its_legal_form_leaves_its_kind_of_business_out() -> None:
    # 陶兰航空发动机, the short name of "Wuxi Taolan Aero Engines Manufacturing", leaves out
    # the city and "Manufacturing" as it leaves out 有限公司; the registered name says them.
    screener = Screener.from_entries(
        [company("z", "Wuxi Taolan Aero Engines Manufacturing Co Ltd"), *OTHERS]
    )
    hits = screener.screen("陶兰航空发动机")
    assert hits and hits[0].entry.id == "z" and hits[0].score > 0.9
    assert not screener.screen("陶兰航空发动机有限公司")
    assert not screener.screen("陶兰航空")


def test_a_trade_name_the_dictionary_translates_does_not_relieve_the_query_s_trade() -> None:
    # 新纪元 ("new era") is a phrase many firms take as their name: 新纪元证券, a broker, shares
    # only that with "Xinjiyuan Limited", and its trade (证券, securities) weighs. A coined
    # trade name (星月, no dictionary word) found whole still lets the trade weigh little.
    screener = Screener.from_entries(
        [company("x", "Xinjiyuan Limited"), company("y", "Xingyue Limited"), *OTHERS]
    )
    assert not screener.screen("新纪元证券有限公司")
    hits = screener.screen("新纪元控股集团")
    assert hits and hits[0].entry.id == "x"
    hits = screener.screen("上海星月证券有限公司")
    assert hits and hits[0].entry.id == "y"
