"""``make demo``: the 2021 SIA-CSIA working group, screened and served.

Creates (or upgrades) the database in CHIPBRIDGE_HOME, loads the built-in list, seeds the
group from the public record on first run, screens every company and participant, and serves
the web app at http://127.0.0.1:PORT (PORT defaults to 8000). Needs no network.
"""

from __future__ import annotations

import os

from chipbridge import config
from chipbridge.store.db import make_engine, migrate, session_factory, transaction
from chipbridge.store.lists import ListStore
from chipbridge.workgroup import seed
from chipbridge.workgroup.reviews.service import rescreen_all


def main() -> None:
    port = int(os.environ.get("PORT", "8000"))
    home = config.home()
    store = ListStore(home)
    screener = store.screener()
    key = store.index_key()
    engine = make_engine()
    migrate(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        if not seed.seeded(session):
            seed.seed(session)
            print("seeded the 2021 SIA-CSIA working group (illustrative facts are marked)")
        count = rescreen_all(session, screener, key, "demo")
    print(f"screened {count} companies and participants against {len(screener):,} list entries")
    from chipbridge.web.server import serve

    print(f"chipbridge is serving at http://127.0.0.1:{port} (data in {home}); Ctrl-C stops it")
    serve(engine, screener, key, port)


if __name__ == "__main__":
    main()
