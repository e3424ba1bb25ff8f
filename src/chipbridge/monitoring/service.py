"""Monitored counterparties: reading a member company's file, importing it, screening each
party, and the alerts raised when a party newly hits a listed entry.

Who sees what: a member company's suppliers, customers and distributors, and the alerts on
them, are compliance records and commercially sensitive between competitors, so only the
compliance roles (secretariat, reviewer, counsel) see them; delegates do not, not even for
their own company (their accounts belong to a delegation, not a company, and the group's
antitrust rules keep one member's counterparties from the others). Only the secretariat
imports them, from the files member companies send it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.countries import UnknownCountry, country_code
from chipbridge.monitoring.models import PARTY_TYPES, Alert, MonitoredParty
from chipbridge.monitoring.parallel import screen_many
from chipbridge.screening import Hit, Screener
from chipbridge.screening.delta import Screened
from chipbridge.screening.model import EntityType
from chipbridge.screening.normalize import UnscreenableName, check_screenable
from chipbridge.store.lists import ActiveLists
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.reviews.service import hit_dict, record_screening

COLUMNS = ("id", "name", "country", "type")
REQUIRED = ("id", "name")
MAX_ROWS = 1_000_000
MAX_ERRORS_SHOWN = 5
# How close (rapidfuzz token_set_ratio, 0-100) a company's name must be to an owner that
# names none to be suggested: a typo or a word left out ("Intell", "Micron Tech"), not a
# legal form the two share ("Acme Inc" is not "Micron Technology, Inc.").
CLOSE_OWNER = 70
# Counterparties are companies as a rule, but a file does not say so: no type hint.
PARTY_KIND: EntityType | None = None


class PartiesFileError(Refused):
    """The file cannot be imported; nothing was written. The message says where and why."""


@dataclass(frozen=True, slots=True)
class PartyRow:
    external_id: str
    name: str
    country: str | None
    type: str | None
    line: int


@dataclass(frozen=True, slots=True)
class ImportSummary:
    owner: str
    added: int
    updated: int
    unchanged: int
    kept: int  # already monitored, not in this file: kept as they were
    alerts: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def read_parties(data: bytes, source: str = "the file") -> list[PartyRow]:
    """Parse and check a whole parties file before anything is written.

    Columns ``id,name`` and optionally ``country`` (ISO 3166 alpha-2) and ``type`` (supplier,
    customer, distributor, other), in any order, UTF-8. Refused: another column, a missing
    or repeated one, a row with too few or too many fields (a truncated file), an unclosed
    quote, an empty or repeated id, a name that cannot be screened, a bad country or type.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PartiesFileError(f"{source} is not UTF-8 (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, dict[str, str]]] = []
    errors: list[str] = []
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise PartiesFileError(f"{source} is empty; expected a header line: id,name")
        columns = [h.strip().lower() for h in header]
        _check_columns(columns, source)
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) != len(columns):
                errors.append(
                    f"line {reader.line_num}: {len(fields)} fields, expected {len(columns)} "
                    "(a truncated file, or a comma inside an unquoted name?)"
                )
                continue
            records.append((reader.line_num, dict(zip(columns, fields, strict=True))))
            if len(records) > MAX_ROWS:
                raise PartiesFileError(f"{source}: more than {MAX_ROWS:,} parties in one file")
    except csv.Error as exc:
        raise PartiesFileError(
            f"{source}, line {reader.line_num}: {exc} (a truncated file?)"
        ) from None
    return check_rows(records, source, errors)


def _check_columns(columns: list[str], source: str) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise PartiesFileError(
            f"{source}: unknown column(s) {', '.join(repr(c) for c in unknown)}; "
            f"the columns are {', '.join(COLUMNS)} (country and type optional)"
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise PartiesFileError(f"{source}: column(s) {', '.join(repeated)} appear twice")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise PartiesFileError(f"{source}: missing column(s) {', '.join(missing)}")


def check_rows(
    records: list[tuple[int, dict[str, str]]], source: str, errors: list[str] | None = None
) -> list[PartyRow]:
    """Check parsed records (line or item number, fields); any error refuses them all."""
    errors = list(errors or [])
    rows: list[PartyRow] = []
    seen: dict[str, int] = {}
    where = "line" if source != "the request" else "item"
    for line, fields in records:
        row = {k: (v or "").strip() for k, v in fields.items()}
        problem = _check_row(row)
        if problem is None and row["id"] in seen:
            problem = f"id {row['id']!r} already on {where} {seen[row['id']]}"
        if problem is not None:
            errors.append(f"{where} {line}: {problem}")
            continue
        seen[row["id"]] = line
        rows.append(
            PartyRow(
                row["id"],
                row["name"],
                row.get("country") or None,
                (row.get("type") or "").lower() or None,
                line,
            )
        )
    if errors:
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > 5 else ""
        raise PartiesFileError(
            f"{source}: {len(errors)} bad row(s), nothing imported: {shown}{more}"
        )
    if not rows:
        raise PartiesFileError(f"{source} holds no parties")
    return rows


def _check_row(row: dict[str, str]) -> str | None:
    """What is wrong with a row, or None; a good country is written back upper-cased."""
    if not row["id"]:
        return "empty id"
    if len(row["id"]) > 100:
        return "id longer than 100 characters"
    if len(row["name"]) > 300:
        return "name longer than 300 characters"
    try:
        check_screenable(row["name"])
    except UnscreenableName as exc:
        return str(exc)
    if row.get("country"):
        try:
            row["country"] = country_code(row["country"])
        except UnknownCountry as exc:
            return f"country {exc}"
    kind = (row.get("type") or "").lower()
    if kind and kind not in PARTY_TYPES:
        return f"type {kind!r} is not one of {', '.join(PARTY_TYPES)}"
    return None


def find_owner(session: Session, owner: str) -> Company:
    """A member company by id, or by its English or Chinese name or one of its aliases
    (case-insensitive): the one way the CLI and the API name the company whose parties they
    import or list. When nothing matches, the message suggests the closest companies."""
    wanted = owner.strip()
    if wanted.isascii() and wanted.isdigit() and int(wanted) < 2**63:
        found = session.get(Company, int(wanted))
        if found is not None:
            return found
    companies = list(session.scalars(select(Company).order_by(Company.id)))
    key = wanted.casefold()
    matches = [c for c in companies if key in {n.casefold() for n in _company_names(c)}]
    if len(matches) > 1:
        raise Refused(f"{owner!r} names {len(matches)} companies; give the company id")
    if matches:
        return matches[0]
    close = _close_companies(key, companies)
    hint = f"did you mean {' or '.join(f'{c.name!r} ({c.id})' for c in close)}? " if close else ""
    raise Refused(
        f"no member company {owner!r}; {hint}`chipbridge parties owners` lists them with their ids"
    )


def _company_names(company: Company) -> list[str]:
    return [company.name, company.name_zh or "", *company.aliases]


def _close_companies(key: str, companies: list[Company], most: int = 3) -> list[Company]:
    """The companies with a name, Chinese name or alias close to ``key`` (a typo, a word
    left out), best first."""
    from rapidfuzz import fuzz, process, utils

    names = [(n, c) for c in companies for n in _company_names(c) if n]
    found = process.extract(
        key,
        [n for n, _ in names],
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=CLOSE_OWNER,
        limit=None,
    )
    close: list[Company] = []
    for _, _, i in found:
        if names[i][1] not in close:
            close.append(names[i][1])
    return close[:most]


def import_parties(
    session: Session,
    actor: Actor,
    owner: Company,
    rows: list[PartyRow],
    screener: Screener,
    lists: ActiveLists,
    workers: int | None = 1,
) -> tuple[ImportSummary, dict[tuple[str, int], Screened]]:
    """Add the parties new to this owner and update those whose details changed (matched by
    the owner's id); screen both. Returns the summary and each screened party's result.

    ``workers``: processes that screen (None: one per core); the default, one, is what a
    server must use (see monitoring/parallel.py)."""
    require(actor, Action.PARTIES_MANAGE)
    existing = {
        p.external_id: p
        for p in session.scalars(select(MonitoredParty).where(MonitoredParty.owner_id == owner.id))
    }
    now = _now()
    screened: list[MonitoredParty] = []
    added = updated = 0
    for row in rows:
        party = existing.pop(row.external_id, None)
        if party is None:
            party = MonitoredParty(
                owner_id=owner.id,
                external_id=row.external_id,
                name=row.name,
                country=row.country,
                type=row.type,
                created_at=now,
                updated_at=now,
                hits=[],
                near=0.0,
            )
            session.add(party)
            added += 1
        elif (party.name, party.country, party.type) != (row.name, row.country, row.type):
            party.name, party.country, party.type = row.name, row.country, row.type
            party.updated_at = now
            updated += 1
        else:
            continue
        screened.append(party)
    session.flush()
    alerts = 0
    results: dict[tuple[str, int], Screened] = {}
    work = [([p.name], PARTY_KIND, p.country) for p in screened]
    for party, result in zip(screened, screen_many(screener, work, workers), strict=True):
        alerts += apply_party(session, party, result, lists, actor)
        results[("party", party.id)] = result
    summary = ImportSummary(
        owner.name, added, updated, len(rows) - added - updated, len(existing), alerts
    )
    record(
        session,
        actor.name,
        "import parties",
        "company",
        owner.id,
        None,
        {"added": added, "updated": updated, "alerts": alerts, "lists": lists.used},
    )
    return summary, results


def apply_party(
    session: Session, party: MonitoredParty, result: Screened, lists: ActiveLists, actor: Actor
) -> int:
    """Keep a party's screening on its row; when its hits changed, write a screening record
    (the review queue) and an alert per fresh hit. Returns the number of alerts raised."""
    hits = [hit_dict(h) for h in result.hits]
    party.near = result.near
    party.screened_at = _now()
    party.lists_used = lists.used
    quiet = _quiet_update(party.hits, party.status, hits)
    if quiet is not None:
        for column, value in quiet.items():
            setattr(party, column, value)
        return 0
    party.hits = hits
    screening, fresh = record_screening(
        session, lists, "party", party.id, party.name, result.hits, actor
    )
    party.status = screening.status
    return raise_alerts(
        session, "party", party.id, party.name, party.owner_id, fresh, screening.id, lists
    )


def apply_parties(
    session: Session, results: dict[int, Screened], lists: ActiveLists, actor: Actor
) -> int:
    """:func:`apply_party` for many parties by id. A re-screen mostly finds the same hits
    again (or none): those rows are written by one bulk update of the columns that moved,
    without loading them as objects; only parties whose hits changed go through
    :func:`apply_party`. Returns the number of alerts raised."""
    now = _now()
    quiet: list[dict[str, Any]] = []
    loud: list[int] = []
    ids = sorted(results)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(MonitoredParty.id, MonitoredParty.hits, MonitoredParty.status).where(
                MonitoredParty.id.in_(ids[start : start + 500])
            )
        )
        for party_id, stored, status in rows:
            result = results[party_id]
            columns = _quiet_update(stored, status, [hit_dict(h) for h in result.hits])
            if columns is None:
                loud.append(party_id)
                continue
            columns.update(id=party_id, near=result.near, screened_at=now, lists_used=lists.used)
            quiet.append(columns)
    if quiet:
        session.execute(update(MonitoredParty), quiet)
    alerts = 0
    for start in range(0, len(loud), 500):
        for party in session.scalars(
            select(MonitoredParty).where(MonitoredParty.id.in_(loud[start : start + 500]))
        ):
            alerts += apply_party(session, party, results[party.id], lists, actor)
    return alerts


def _quiet_update(
    stored: list[dict[str, Any]], status: str, hits: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The columns to write when a party's new hits need no screening record: the same
    listings as before (their scores may have moved a little), or still none. None: they
    changed, and go to the review queue."""
    if sorted(map(_listings, stored)) == sorted(map(_listings, hits)) and (
        hits or status == "clear"
    ):
        return {"hits": hits}
    if not hits and status in ("not screened", "clear"):
        return {"status": "clear"}
    return None


def _listings(hit: dict[str, Any]) -> tuple[str, str, str, tuple[str, ...]]:
    """What makes a stored hit another one: its entry, that entry's content, and the party's
    other listings."""
    others = tuple(sorted(f"{e['dataset']}:{e['entry_id']}" for e in hit.get("also_listed", ())))
    return (hit["dataset"], hit["entry_id"], hit["entry_hash"], others)


def raise_alerts(
    session: Session,
    subject: str,
    subject_id: int,
    name: str,
    owner_id: int | None,
    fresh: list[tuple[Hit, str]],
    record_id: int | None,
    lists: ActiveLists,
) -> int:
    now = _now()
    for hit, cause in fresh:
        session.add(
            Alert(
                subject=subject,
                subject_id=subject_id,
                name=name,
                owner_id=owner_id,
                dataset=hit.entry.dataset,
                entry_id=hit.entry.id,
                listed_name=hit.entry.name[:500],
                score=hit.score,
                citation=(hit.entry.citation or "")[:500] or None,
                cause=cause,
                record_id=record_id,
                lists_used=lists.used,
                created_at=now,
            )
        )
    return len(fresh)


def parties(
    session: Session,
    actor: Actor,
    owner_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[int, list[MonitoredParty]]:
    """One page of monitored parties (hits first), and how many match in all."""
    require(actor, Action.PARTIES_READ)
    query = select(MonitoredParty)
    if owner_id is not None:
        query = query.where(MonitoredParty.owner_id == owner_id)
    if status:
        query = query.where(MonitoredParty.status == status)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(MonitoredParty.name).like(pattern),
                func.lower(MonitoredParty.external_id).like(pattern),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(
        query.order_by(MonitoredParty.near.desc(), MonitoredParty.id).offset(offset).limit(limit)
    )
    return total, list(page)


def party_dict(party: MonitoredParty) -> dict[str, object]:
    return {
        "id": party.id,
        "owner_id": party.owner_id,
        "owner": party.owner.name,
        "external_id": party.external_id,
        "name": party.name,
        "country": party.country,
        "type": party.type,
        "status": party.status,
        "hits": party.hits,
        "screened_at": party.screened_at.isoformat() if party.screened_at else None,
        "lists_used": party.lists_used,
    }


def alerts(
    session: Session, actor: Actor, since: datetime | None = None, limit: int = 200
) -> list[Alert]:
    """The newest alerts first."""
    require(actor, Action.ALERTS_READ)
    query = select(Alert).options(selectinload(Alert.owner))
    if since is not None:
        query = query.where(Alert.created_at >= since)
    return list(session.scalars(query.order_by(Alert.id.desc()).limit(limit)))


def alert_dict(alert: Alert) -> dict[str, object]:
    return {
        "id": alert.id,
        "subject": alert.subject,
        "subject_id": alert.subject_id,
        "name": alert.name,
        "owner_id": alert.owner_id,
        "owner": alert.owner.name if alert.owner else None,
        "dataset": alert.dataset,
        "entry_id": alert.entry_id,
        "listed_name": alert.listed_name,
        "score": alert.score,
        "citation": alert.citation,
        "cause": alert.cause,
        "record_id": alert.record_id,
        "lists_used": alert.lists_used,
        "created_at": alert.created_at.isoformat(),
    }
