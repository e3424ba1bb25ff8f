"""The 2021 SIA-CSIA working group, seeded from the public record.

Facts from the March 2021 report: the two associations, ten companies a side, twice-yearly
meetings on export restrictions, supply chain security and encryption technology; Intel and
Qualcomm as SIA members; SMIC, Hua Hong and Shanghai Fudan Microelectronics as Chinese chip
companies named; CSIA led by Zhou Zixue (president of SMIC), with Xu Zhijun (vice chairman of
Huawei) and Zhao Weiguo (chairman of Tsinghua Unigroup) on its board. Everything else - the
other member companies, ownership percentages, the technical experts - is ILLUSTRATIVE and
marked so in the database and on every page.

The meetings are placed around the day the seed runs and walked through the lifecycle by
the same service calls the pages use, so the demo shows each kind of state: a meeting whose
minutes both heads approved, one whose minutes await the CSIA head, one whose agenda was
circulated, and a draft. The steps are taken by seed actors named as such.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Actor, Role
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.delegations.models import Delegation, Participant
from chipbridge.workgroup.documents import service as documents
from chipbridge.workgroup.meetings import service as meetings
from chipbridge.workgroup.meetings.models import Track
from chipbridge.workgroup.meetings.workdays import next_working_day

ACTOR = Actor.system("seed (public record, 2021)")
SECRETARIAT = Actor("seed: secretariat (illustrative)", Role.SECRETARIAT)
COUNSEL = Actor("seed: antitrust counsel (illustrative)", Role.COUNSEL)
HEADS = {
    code: Actor(f"seed: head of {code} (illustrative)", Role.DELEGATE, delegation=code, head=True)
    for code in ("SIA", "CSIA")
}
ITEMS = (
    ("Public export-control rules and their effect on trade", "公开的出口管制规则及其对贸易的影响"),
    ("Supply chain resilience: public data on capacity trends", "供应链韧性：产能趋势的公开数据"),
    ("Published encryption standards and certification", "已发布的加密标准与认证"),
)
# (participant, capacity) at the meetings that were held
ATTENDEES = (
    ("Zhou Zixue", "head of delegation"),
    ("Chen Jing", "technical expert"),
    ("Li Ming", "technical expert"),
    ("Alice Turner", "delegate"),
    ("David Park", "technical expert"),
)
MINUTES = (
    (
        0,
        "Secretariat",
        "The antitrust statement was read in English and Chinese at the opening; no participant "
        "raised a concern.",
        "会议开始时以中英文宣读了反垄断声明；与会者均未提出疑虑。",
    ),
    (
        1,
        "SIA delegation",
        "SIA summarised the export-control notices published in the Federal Register since the "
        "last meeting.",
        "美国半导体行业协会概述了自上次会议以来《联邦公报》发布的出口管制通知。",
    ),
    (
        2,
        "CSIA delegation",
        "CSIA presented published industry statistics on supply chain resilience; no "
        "company-specific capacity figures were discussed.",
        "中国半导体行业协会介绍了已公开的供应链韧性行业统计数据；未讨论任何公司的具体产能数据。",
    ),
)

# (name, name_zh, aliases, illustrative)
SIA = [
    ("Intel Corporation", "英特尔公司", ["Intel"], False),
    ("Qualcomm Incorporated", "高通公司", ["Qualcomm"], False),
    ("Micron Technology, Inc.", "美光科技", ["Micron"], True),
    ("Texas Instruments Incorporated", "德州仪器", ["TI"], True),
    ("Analog Devices, Inc.", "亚德诺半导体", ["ADI"], True),
    ("NVIDIA Corporation", "英伟达", ["NVIDIA"], True),
    ("Advanced Micro Devices, Inc.", "超威半导体", ["AMD"], True),
    ("Applied Materials, Inc.", "应用材料公司", ["Applied Materials"], True),
    ("Broadcom Inc.", "博通公司", ["Broadcom"], True),
    ("GlobalFoundries Inc.", "格芯", ["GlobalFoundries"], True),
]
CSIA = [
    (
        "Semiconductor Manufacturing International Corporation",
        "中芯国际集成电路制造有限公司",
        ["SMIC"],
        False,
    ),
    ("Huawei Technologies Co., Ltd.", "华为技术有限公司", ["Huawei"], False),
    ("Tsinghua Unigroup Co., Ltd.", "紫光集团有限公司", ["Tsinghua Unigroup", "Unigroup"], False),
    ("Hua Hong Semiconductor Limited", "华虹半导体有限公司", ["Hua Hong"], False),
    (
        "Shanghai Fudan Microelectronics Group Co., Ltd.",
        "上海复旦微电子集团股份有限公司",
        ["Fudan Microelectronics"],
        False,
    ),
    ("Yangtze Memory Technologies Co., Ltd.", "长江存储科技有限责任公司", ["YMTC"], True),
    ("HiSilicon Technologies Co., Ltd.", "海思半导体有限公司", ["HiSilicon"], True),
    ("JCET Group Co., Ltd.", "江苏长电科技股份有限公司", ["JCET"], True),
    ("NAURA Technology Group Co., Ltd.", "北方华创科技集团股份有限公司", ["NAURA"], True),
    ("Will Semiconductor Co., Ltd.", "韦尔半导体股份有限公司", ["Will Semi"], True),
]
# (child, parent, percent): illustrative ownership links for the affiliate (50%) check.
OWNERSHIP = [
    ("HiSilicon Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.", 100.0),
    ("Yangtze Memory Technologies Co., Ltd.", "Tsinghua Unigroup Co., Ltd.", 24.1),
]
# (name, name_zh, company, title, illustrative)
PEOPLE: list[tuple[str, str | None, str, str, bool]] = [
    (
        "Zhou Zixue",
        "周子学",
        "Semiconductor Manufacturing International Corporation",
        "CSIA head; president of SMIC (as reported in 2021)",
        False,
    ),
    ("Xu Zhijun", "徐直军", "Huawei Technologies Co., Ltd.", "Vice chairman of the board", False),
    ("Zhao Weiguo", "赵伟国", "Tsinghua Unigroup Co., Ltd.", "Chairman", False),
    ("Chen Jing", "陈静", "Hua Hong Semiconductor Limited", "Process integration engineer", True),
    (
        "Li Ming",
        "李明",
        "Shanghai Fudan Microelectronics Group Co., Ltd.",
        "Security IC architect",
        True,
    ),
    ("Alice Turner", None, "Intel Corporation", "Principal engineer, export compliance", True),
    ("David Park", None, "Qualcomm Incorporated", "Director of cryptography engineering", True),
]


def seeded(session: Session) -> bool:
    return session.scalar(select(Delegation).limit(1)) is not None


def seed(session: Session, today: dt.date | None = None) -> None:
    """Create the two delegations, their companies and people, tracks, meetings, documents."""
    sia = delegations.create_delegation(
        session,
        ACTOR,
        "SIA",
        "Semiconductor Industry Association",
        "美国半导体行业协会",
        "US",
        venue="Washington, D.C.",
        timezone="America/New_York",
    )
    csia = delegations.create_delegation(
        session,
        ACTOR,
        "CSIA",
        "China Semiconductor Industry Association",
        "中国半导体行业协会",
        "CN",
        head="Zhou Zixue",
        venue="Beijing",
        timezone="Asia/Shanghai",
    )
    by_name = {}
    for delegation, members, country in ((sia, SIA, "US"), (csia, CSIA, "CN")):
        for name, name_zh, aliases, illustrative in members:
            by_name[name] = delegations.add_company(
                session,
                ACTOR,
                name,
                country,
                delegation,
                name_zh,
                aliases,
                illustrative=illustrative,
                note="illustrative member" if illustrative else "named in the 2021 public record",
            )
    for child, parent, percent in OWNERSHIP:
        owned = by_name[child]
        owned.parent_id = by_name[parent].id
        owned.ownership_percent = percent
    for person, person_zh, employer, title, made_up in PEOPLE:
        delegations.add_participant(
            session, ACTOR, person, by_name[employer], person_zh, title, made_up
        )
    _meetings(session, meetings.ensure_tracks(session), today)
    documents.submit(
        session,
        ACTOR,
        "SIA and CSIA announce joint working group",
        "https://www.semiconductors.org/",
        dt.date(2021, 3, 11),
        "Both associations will share public information on general business matters.",
    )
    documents.submit(
        session,
        ACTOR,
        "Note on 3E001 technology (draft)",
        "https://example.org/draft-note",
        dt.date(2021, 3, 12),
        "Technology for the development or production of items in 3E001; confidential draft.",
    )


def _meetings(session: Session, tracks: list[Track], today: dt.date | None) -> None:
    """Four meetings about six months apart around ``today``, each taken as far through the
    lifecycle as a real one would be by now. Each step happens at a moment that fits."""
    today = today or dt.datetime.now(dt.UTC).date()
    sides = meetings.countries(session)
    people = {p.name: p.id for p in session.scalars(select(Participant))}
    attendees = [(people[name], capacity) for name, capacity in ATTENDEES]
    for offset, last_step in ((-350, "approved"), (-170, "drafted"), (25, "circulated"), (200, "")):
        day = next_working_day(today + dt.timedelta(days=offset), sides)
        at = dt.datetime.combine(day, dt.time(0))  # moments relative to the meeting's day
        meeting = meetings.create_meeting(
            session, SECRETARIAT, day, [t.id for t in tracks], now=at - dt.timedelta(days=60)
        )
        items = [meeting.agenda[0].id]
        for track, (title, title_zh) in zip(tracks, ITEMS, strict=True):
            item = meetings.add_agenda_item(
                session, SECRETARIAT, meeting.id, track.id, title, title_zh
            )
            items.append(item.id)
        if not last_step:
            continue
        early = min(at - dt.timedelta(days=20), dt.datetime.combine(today, dt.time(0)))
        meetings.sign_off_agenda(session, COUNSEL, meeting.id, now=early)
        meetings.circulate(session, SECRETARIAT, meeting.id, now=early)
        if last_step == "circulated":
            continue
        meetings.lock(session, SECRETARIAT, meeting.id, now=at - dt.timedelta(days=3))
        started = meetings.starts_at(meeting) + dt.timedelta(hours=1)
        meetings.hold(
            session,
            SECRETARIAT,
            meeting.id,
            attendees,
            counsel_present=True,
            counsel_name="Antitrust counsel (illustrative)",
            now=started,
        )
        blocks = [meetings.Block(who, en, zh, items[i]) for i, who, en, zh in MINUTES]
        after = started + dt.timedelta(days=3)
        meetings.draft_minutes(session, SECRETARIAT, meeting.id, blocks, now=after)
        meetings.sign_off_minutes(session, COUNSEL, meeting.id, now=after)
        meetings.approve_minutes(session, HEADS["SIA"], meeting.id, now=after)
        if last_step == "approved":
            meetings.approve_minutes(session, HEADS["CSIA"], meeting.id, now=after)
