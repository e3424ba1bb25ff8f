"""Unique screening queries for the batch benchmarks: no repeated rows, no one-letter mutations.

A supplier or customer file is mostly parties on no list, with a few listed ones written the
way people write names. So:

- a share of the rows (10% by default) comes from the listed names of the reference lists,
  each varied the ways real files vary them: case, punctuation, legal forms written out,
  abbreviated or left off, a branch or city added, a person's surname first or last, a
  middle name dropped or cut to an initial, a word of a long name dropped;
- the rest are company and person names generated from the name parts of 17 Faker locales
  (Latin, Cyrillic, Chinese, Japanese, Korean, Arabic, ...), each name within one locale:
  people as that locale writes them (given names, a middle initial, the surname; surname
  first for Chinese, Japanese and Korean), companies as the locale's own company names or
  as surname or place, trade words and a legal form.

Every query appears once, so a result cache can never answer twice; generation is seeded,
so every run screens the same rows.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from faker import Faker

from chipbridge.screening import EntityType
from common import reference_snapshots

LOCALES = [
    "en_US",
    "en_GB",
    "de_DE",
    "fr_FR",
    "es_ES",
    "it_IT",
    "pt_BR",
    "nl_NL",
    "pl_PL",
    "ru_RU",
    "tr_TR",
    "zh_CN",
    "zh_TW",
    "ja_JP",
    "ko_KR",
    "ar_AA",
    "vi_VN",
]
TRADE_WORDS = [
    "Electronics", "Semiconductor", "Microsystems", "Precision", "Components", "Trading",
    "Logistics", "Industrial", "Technology", "Devices", "Materials", "Photonics", "Circuits",
    "Instruments", "Machinery", "Chemicals", "Supply", "Engineering", "Optics", "Systems",
    "Metals", "Packaging", "Solutions", "Import Export", "Holdings", "Wafer", "Power",
]  # fmt: skip
LEGAL_FORMS = [
    "Co., Ltd.", "Ltd", "LLC", "Inc.", "GmbH", "AG", "S.A.", "S.r.l.", "B.V.", "Sp. z o.o.",
    "OOO", "AO", "Pte. Ltd.", "Limited", "Corporation", "K.K.", "SARL", "S.A. de C.V.", "",
]  # fmt: skip
# Written-out and short forms of legal forms, both ways, as files mix them.
LEGAL_SWAPS = [
    (r"\bCO\.?,? LTD\.?", "Company Limited"),
    (r"\bCOMPANY LIMITED\b", "Co Ltd"),
    (r"\bLIMITED\b", "Ltd"),
    (r"\bLTD\.?", "Limited"),
    (r"\bCORPORATION\b", "Corp."),
    (r"\bCORP\.?", "Corporation"),
    (r"\bINCORPORATED\b", "Inc"),
    (r"\bL\.?L\.?C\.?", "Limited Liability Company"),
    (r"\bS\.?A\.?\b", "Sociedad Anonima"),
]
CITIES = ["Shenzhen", "Shanghai", "Hong Kong", "Dubai", "Moscow", "Singapore", "Tehran", "Minsk"]


def _listed_variants(rng: random.Random) -> list[str]:
    """Varied spellings of every listed name, in a seeded random order."""
    out: list[str] = []
    for snapshot in reference_snapshots():
        for entry in snapshot.entries:
            person = entry.type is EntityType.PERSON
            for alias in entry.names():
                out.extend(_vary(alias.name, person, rng))
    rng.shuffle(out)
    return out


def _vary(name: str, person: bool, rng: random.Random) -> list[str]:
    words = name.replace(",", " ").split()
    if not words:
        return []
    forms = [
        name.title() if name.isupper() else name.upper(),
        re.sub(r"[.,'\"()-]", "", name),
    ]
    if person and len(words) >= 2:
        forms.append(" ".join([*words[1:], words[0]]).title())  # surname first <-> last
        if len(words) >= 3:
            forms.append(f"{words[0]} {words[-1]}")  # middle name dropped
            forms.append(f"{words[0]} {words[1][0]}. {' '.join(words[2:])}")  # an initial
    if not person:
        upper = name.upper()
        for pattern, replacement in LEGAL_SWAPS:
            if re.search(pattern, upper):
                forms.append(re.sub(pattern, replacement, upper, count=1).title())
                break
        else:
            forms.append(f"{name} {rng.choice(LEGAL_FORMS)}".strip())
        forms.append(f"{name} ({rng.choice(CITIES)} Branch)")
        if len(words) >= 4:
            drop = rng.randrange(1, len(words))
            forms.append(" ".join(words[:drop] + words[drop + 1 :]))
    return forms


# Locales whose people write the surname first and no space between the parts.
SURNAME_FIRST = {"zh_CN": "", "zh_TW": "", "ko_KR": "", "ja_JP": " "}


def _pin_order(fake: Faker) -> None:
    """Sort every list of strings the locale's providers draw from.

    Faker makes some of them from a set (it_IT's cities: ``list({...})``), so their order,
    and with it the element a seeded draw picks, follows the process's string hash seed:
    each run of a benchmark screened other Italian place names ("Avellino Import Export
    Corporation" in one run and not the next, a hit more or less). Sorted, a seed draws
    the same names in every process. Lists written out in Faker's sources are sorted too,
    which only changes which names a seed gives, once; tuples are left as they are.
    """
    for provider in fake.get_providers():
        names = {name for cls in type(provider).__mro__ for name in vars(cls)}
        for name in sorted(names):
            value = getattr(provider, name, None)
            if type(value) is list and value and all(isinstance(v, str) for v in value):
                setattr(provider, name, sorted(value))


class _Locale:
    """Name parts harvested once from one Faker locale, so millions of names combine fast."""

    def __init__(self, locale: str, rng: random.Random, size: int = 400) -> None:
        fake = Faker(locale)
        _pin_order(fake)
        fake.seed_instance(rng.randrange(2**32))
        self.locale = locale
        self.first = sorted({fake.first_name() for _ in range(size)})
        self.last = sorted({fake.last_name() for _ in range(size)})
        self.places = sorted({fake.city() for _ in range(size // 4)})
        self.companies = sorted({fake.company() for _ in range(size // 2)})

    def person(self, rng: random.Random) -> str:
        first, last = rng.choice(self.first), rng.choice(self.last)
        if self.locale in SURNAME_FIRST:
            return f"{last}{SURNAME_FIRST[self.locale]}{first}"
        shape = rng.random()
        if shape < 0.55:
            return f"{first} {last}"
        if shape < 0.8:
            return f"{first} {rng.choice(self.first)} {last}"
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTVW')}. {last}"

    def company(self, rng: random.Random) -> str:
        shape = rng.random()
        if shape < 0.3:  # the locale's own company names, sometimes with a city in front
            name = rng.choice(self.companies)
            return f"{rng.choice(self.places)}{name}" if self.locale in SURNAME_FIRST else name
        head = rng.choice(self.last if shape < 0.7 else self.places)
        trade = " ".join(rng.sample(TRADE_WORDS, rng.choice((1, 1, 2))))
        return f"{head} {trade} {rng.choice(LEGAL_FORMS)}".strip()


def unique_names(count: int, listed_share: float = 0.1, seed: int = 7) -> Iterator[str]:
    """``count`` distinct queries: ``listed_share`` of them varied listed names."""
    rng = random.Random(seed)
    listed = iter(_listed_variants(rng))
    locales = [_Locale(locale, rng) for locale in LOCALES]
    seen: set[str] = set()
    made = 0
    while made < count:
        locale = rng.choice(locales)
        if rng.random() < listed_share:
            name = next(listed, None) or locale.company(rng)
        elif rng.random() < 0.55:
            name = locale.company(rng)
        else:
            name = locale.person(rng)
        key = name.casefold()
        if key in seen:
            continue
        seen.add(key)
        made += 1
        yield name
