"""Delta re-screening of monitored parties after a list change, against a full re-screen.

    .venv/bin/python bench/delta_rescreen.py [--parties 100000] [--share 0.01] [--unique]

In a scratch CHIPBRIDGE_HOME and SQLite database: imports the reference CSL and OFAC SDN
lists, seeds the working group, imports ``--parties`` monitored parties for one member
company (Faker company and person names in six locales, plus 1% real listed names with
typing errors and 0.3% names that the new version will list), and screens everyone once (a
full re-screen: the cost the delta avoids). Then imports a new version in which ``--share``
of the entries change (half edited: an alias or remarks; a quarter removed; a quarter added,
taken from the OFAC Consolidated and UN lists, which the base does not hold) and times the
delta re-screen that follows, as `chipbridge lists import` runs it: load, plan and screen
(one pool: each process screens the parties it planned), write (results, review records,
alerts, the profile cache) and commit. Finally a full re-screen on
the same data prints its time beside the delta's, and whether both gave the same results.

The plan and the screening run in one forked process per core (two here). Timings on a
shared machine are noisy: each re-screen also prints its CPU seconds (this process and its
workers) and the load average.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LISTS, reference_snapshots, require

LOCALES = ("en_US", "de_DE", "fr_FR", "ru_RU", "zh_CN", "ja_JP")


def mutate(name: str, rng: random.Random) -> str:
    """One typing error: a letter dropped, doubled or replaced."""
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    return name[:i] + rng.choice("aeiounrst") + name[i + 1 :]


def parties(
    count: int, listed: list[str], coming: list[str], rng: random.Random, unique: bool = False
) -> list[str]:
    """``unique``: no name twice (Faker repeats its names: about 59,000 distinct of 100,000,
    and the re-screen works out parties screened alike once)."""
    from faker import Faker

    fake = Faker(list(LOCALES))
    Faker.seed(2021)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        roll = rng.random()
        if roll < 0.01:
            name = mutate(rng.choice(listed), rng)
        elif roll < 0.013:
            name = rng.choice(coming)
        elif roll < 0.75:
            name = fake.company()
        else:
            name = fake.name()
        if unique and name in seen:
            continue
        seen.add(name)
        out.append(name)
    return out


def new_version(snapshots, extra, share: float, rng: random.Random):  # type: ignore[no-untyped-def]
    """Each list with ``share`` of its entries changed."""
    from chipbridge.screening.model import Alias

    out = []
    for snapshot in snapshots:
        entries = list(snapshot.entries)
        changes = max(4, int(len(entries) * share))
        for i in rng.sample(range(len(entries)), changes // 2):
            e = entries[i]
            if rng.random() < 0.5 and e.aliases:
                alias = Alias(mutate(e.name, rng))
                entries[i] = dataclasses.replace(e, aliases=(*e.aliases, alias))
            else:
                entries[i] = dataclasses.replace(e, remarks=f"{e.remarks or ''} amended")
        for _ in range(changes // 4):
            entries.pop(rng.randrange(len(entries)))
        for _ in range(changes // 4):
            e = extra.pop()
            entries.append(dataclasses.replace(e, dataset=snapshot.dataset, id=f"new-{e.id}"))
        out.append(dataclasses.replace(snapshot, entries=entries))
    return out


def cpu_seconds() -> float:
    """User and system time of this process and of its finished workers: on a shared
    machine, what the re-screen cost whatever the wall clock says."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def results(engine):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from chipbridge.monitoring.models import MonitoredParty
    from chipbridge.store.db import session_factory, transaction

    with transaction(session_factory(engine), write=False) as db:
        rows = db.execute(select(MonitoredParty.id, MonitoredParty.hits))
        return {i: [(h["entry_id"], h["score"]) for h in hits] for i, hits in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--unique", action="store_true", help="no party's name twice")
    args = parser.parse_args()
    require(LISTS / "ofac_cons", LISTS / "un_consolidated.xml")
    with tempfile.TemporaryDirectory(prefix="chipbridge-bench-") as tmp:
        os.environ["CHIPBRIDGE_HOME"] = str(Path(tmp) / "home")
        os.environ["CHIPBRIDGE_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        run(args.parties, args.share, args.unique)


def run(count: int, share: float, unique: bool) -> None:
    from chipbridge import config
    from chipbridge.accounts.permissions import Actor
    from chipbridge.monitoring import service
    from chipbridge.monitoring.rescreen import rescreen
    from chipbridge.screening.sources import load
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.store.lists import ListStore
    from chipbridge.workgroup import seed

    rng = random.Random(7)
    actor = Actor.system("bench")
    store = ListStore(config.home())
    base = reference_snapshots()
    extra = [
        e
        for path in (LISTS / "ofac_cons", LISTS / "un_consolidated.xml")
        for e in load(path).entries
    ]
    rng.shuffle(extra)
    store.save_all(base)
    active = store.active()
    screener = store.screener_for(active)
    listed = [e.name for s in base for e in s.entries]
    names = parties(count, listed, [e.name for e in extra[-500:]], rng, unique)
    engine = make_engine()
    migrate(engine)
    factory = session_factory(engine)
    data = "id,name\n" + "".join(f'P{i},"{n.replace(chr(34), "")}"\n' for i, n in enumerate(names))
    started = time.perf_counter()
    with transaction(factory) as db:
        seed.seed(db)
        rows = service.read_parties(data.encode())
        owner = service.find_owner(db, "1")
        summary, _ = service.import_parties(db, actor, owner, rows, screener, active, None)
    print(
        f"lists: {sum(len(s.entries) for s in base):,} entries; imported {summary.added:,} "
        f"parties (each screened) in {time.perf_counter() - started:.1f}s"
    )

    def timed(full: bool) -> tuple[float, str]:
        now = store.active()
        began, cpu = time.perf_counter(), cpu_seconds()
        with transaction(factory) as db:
            done = rescreen(db, store, store.screener_for(now), now, actor, full)
        seconds = time.perf_counter() - began
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        return seconds, (
            f"{done.line()}; CPU {cpu_seconds() - cpu:.1f}s (this process and its workers); "
            f"load average {load}"
        )

    seconds, line = timed(full=True)
    print(f"full re-screen, first version: {seconds:.1f}s: {line}")
    versions = new_version(base, extra, share, rng)
    changed = sum(
        i.added + i.changed + i.removed for i in (x.info for x in store.save_all(versions))
    )
    began = time.perf_counter()
    store.screener()  # as `lists import` does: build and cache the new index
    print(
        f"new version: {changed:,} entries added, changed or removed ({share:.0%}); "
        f"index built in {time.perf_counter() - began:.1f}s (part of the import)"
    )
    delta_seconds, line = timed(full=False)
    print(f"DELTA re-screen: {delta_seconds:.2f}s (target < 10 s): {line}")
    after_delta = results(engine)
    full_seconds, line = timed(full=True)
    print(f"FULL re-screen, same data: {full_seconds:.1f}s: {line}")
    after_full = results(engine)
    differ = [i for i in after_full if after_full[i] != after_delta.get(i)]
    print(
        f"delta and full results identical: {'yes' if not differ else 'NO'} "
        f"({len(differ)} of {len(after_full):,} parties differ)"
    )
    for i in differ[:5]:
        print(f"  party {i}: delta {after_delta.get(i)} full {after_full[i]}")


if __name__ == "__main__":
    main()
