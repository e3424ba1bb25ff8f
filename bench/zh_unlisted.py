"""False positives on made-up Chinese firms: how many unlisted firms' names get flagged.

    .venv/bin/python bench/zh_unlisted.py [--names 12000] [--seed 7] [--show 20] [--people]

A registered Chinese firm's name is a place (often), a trade name of two characters, an
industry and a legal form: 无锡安德科技有限公司. This builds such names from common
trade-name characters, cities, industry terms and legal forms, screens them against the real
lists (CSL + OFAC SDN) at the default threshold, and counts the ones flagged.

The names are generated, not checked against any register, so a flag is not always wrong:
a trade name that sounds like a listed firm's (盛微 Shengwei against "Shengwei Technology")
is what a screen should show a reviewer. Flags are printed by the kind of listed party and
by how the trade name was met, so the reader can tell the two apart.

With ``--latin`` (with ``--people``) each person's name is written in pinyin as a passport
writes it, surname first or last at random (Zheng Lei, Zhiqiang Wang): what a delegate's name
is screened as, against the lists' many Chinese people written in Latin letters.

With ``--pinyin`` (firms) each made-up firm's name is typed in toneless pinyin, word by word
(Wuxi Ande Keji Youxian Gongsi) and with its words run together before the legal form
(Wuxiandekeji Youxian Gongsi): the pinyin reading (screening/pinyin_reading.py) must not flag
an unlisted firm that shares only generic words with a listed one.

With ``--people`` the names are people's, surname and given name from Faker's zh_CN and zh_TW
parts (王志刚, 陳淑惠). Common names are held by listed people too: a flag against a listed
person of the same reading is a namesake the screen must show, one against a firm, ship or
aircraft is a false hit.

The rules this measures (stop 21: a ship's or person's name is not a firm's; a firm's trade
name is read in order; places and terms are read whole; index-derived initials are met by
no Chinese reading) were written while looking at its flags: these are tuning figures.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import DEFAULT_THRESHOLD
from common import reference_screener

CITIES = (
    *("北京", "上海", "深圳", "苏州", "杭州", "无锡", "成都", "武汉", "西安", "东莞", "宁波"),
    *("厦门", "合肥", "南京", "天津", "青岛", "珠海", "佛山", "广州", "长沙", "重庆", "大连"),
)
TRADE = (
    "华宏鑫盛泰达恒瑞祥丰源德信安康海天金隆兴利通"
    "博创新力凯英佳豪明光龙宇星辰芯微科晶远方正元"
    "亚美联合众智"
)
INDUSTRIES = (
    *("科技", "电子", "信息技术", "半导体", "精密机械", "贸易", "国际贸易", "物流", "光电"),
    *("通信", "软件", "新材料", "化工", "医药", "电子科技", "智能科技", "网络科技", "集成电路"),
    *("微电子", "仪器", "自动化设备", "进出口", "航空科技", "能源", "环保科技", "实业", "投资"),
)
LEGAL_FORMS = ("有限公司", "股份有限公司", "集团有限公司", "有限责任公司", "科技有限公司")


def names(count: int, seed: int) -> list[str]:
    """``count`` distinct firm names; one in three has no city, as many registered names."""
    return sorted(firms(count, seed))


def firms(count: int, seed: int) -> dict[str, tuple[str, ...]]:
    """:func:`names` with each name's words: city (or none), trade name, industry, legal form."""
    rng = random.Random(seed)
    found: dict[str, tuple[str, ...]] = {}
    while len(found) < count:
        city = rng.choice(CITIES) if rng.random() > 1 / 3 else ""
        trade = rng.choice(TRADE) + rng.choice(TRADE)
        words = (city, trade, rng.choice(INDUSTRIES), rng.choice(LEGAL_FORMS))
        found.setdefault("".join(words), tuple(w for w in words if w))
    return found


def firms_in_pinyin(count: int, seed: int) -> list[str]:
    """Each made-up firm's name typed in toneless pinyin (pypinyin), as a compliance officer
    types what he hears: word by word ("Wuxi Ande Keji Youxian Gongsi"), and with the name's
    words run together before the legal form ("Wuxiandekeji Youxian Gongsi")."""
    from pypinyin import Style, lazy_pinyin

    def spoken(word: str) -> str:
        return "".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=True)).capitalize()

    written: set[str] = set()
    for words in firms(count, seed).values():
        *name, legal = words
        # A legal form is typed by its words of two characters (有限 公司), as lists write it.
        legal_words = [spoken(legal[i : i + 2]) for i in range(0, len(legal), 2)]
        written.add(" ".join([*map(spoken, name), *legal_words]))
        written.add(" ".join(["".join(map(spoken, name)).capitalize(), *legal_words]))
    return sorted(written)


def people(count: int, seed: int) -> list[str]:
    """``count`` distinct person names, surname first, from the surnames and given names of
    Faker's mainland and Taiwan locales (simplified and traditional characters)."""
    from faker import Faker

    rng = random.Random(seed)
    parts = []
    for locale in ("zh_CN", "zh_TW"):
        fake = Faker(locale)
        fake.seed_instance(seed)
        surnames = sorted({fake.last_name() for _ in range(400)})
        given = sorted({fake.first_name() for _ in range(400)})
        parts.append((surnames, given))
    found: set[str] = set()
    while len(found) < count:
        surnames, given = rng.choice(parts)
        found.add(rng.choice(surnames) + rng.choice(given))
    return sorted(found)


def in_pinyin(names: list[str], seed: int) -> list[str]:
    """Each Chinese person's name as a passport writes it in pinyin (surname with its
    surname reading, given name run together), surname first or last at random."""
    from chipbridge.screening import cjk

    rng = random.Random(seed)
    written: set[str] = set()
    for han in names:
        parts = cjk.split_person(cjk.to_simplified(han))
        if parts is None:
            continue
        family, given = (p.capitalize() for p in cjk.romanise_person(*parts))
        written.add(f"{family} {given}" if rng.random() < 0.5 else f"{given} {family}")
    return sorted(written)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument(
        "--people",
        action="store_true",
        help="made-up person names instead of firms (a flag against a listed person of the "
        "same name is a namesake a screen must show; against a firm or ship it is wrong)",
    )
    parser.add_argument(
        "--latin", action="store_true", help="with --people: the names written in pinyin"
    )
    parser.add_argument(
        "--pinyin",
        action="store_true",
        help="firms: the names typed in toneless pinyin, word by word and run together",
    )
    args = parser.parse_args()
    screener = reference_screener()
    flagged: list[tuple[float, str, str, str]] = []
    kinds: Counter[str] = Counter()
    if args.pinyin and not args.people:
        made = firms_in_pinyin(args.names, args.seed)
    else:
        made = people(args.names, args.seed) if args.people else names(args.names, args.seed)
    if args.latin:
        made = in_pinyin(made, args.seed)
    for name in made:
        hits = screener.screen(name, threshold=DEFAULT_THRESHOLD)
        if hits:
            hit = hits[0]
            kinds[hit.entry.type.value] += 1
            flagged.append((hit.score, name, hit.matched_name, hit.reason))
    kind = ("people in pinyin" if args.latin else "people") if args.people else "firms"
    kind = "firms in pinyin" if args.pinyin and not args.people else kind
    print(
        f"{len(flagged)} of {len(made):,} made-up {kind} flagged "
        f"({len(flagged) / len(made):.2%}); by the listed party's kind: {dict(kinds)}"
    )
    for score, name, matched, reason in sorted(flagged, reverse=True)[: args.show]:
        print(f"    {score:.3f} {name} -> {matched!r}: {reason[:160]}")


if __name__ == "__main__":
    main()
