"""``make demo``: the 2021 SIA-CSIA working group, screened and served.

Creates (or upgrades) the database in CHIPBRIDGE_HOME, loads the built-in list, seeds the
group from the public record on first run, creates one demo account per role (printing the
e-mails and passwords once, when they are made), screens every company and participant, and
serves the web app at http://127.0.0.1:PORT (PORT defaults to 8000). Needs no network.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from chipbridge import config
from chipbridge.accounts import service as accounts
from chipbridge.accounts.permissions import Actor, Role
from chipbridge.store.db import make_engine, migrate, session_factory, transaction
from chipbridge.store.lists import ListStore
from chipbridge.workgroup import seed
from chipbridge.workgroup.reviews.service import rescreen_all

# (e-mail, role, delegation, head): every role, both heads (minutes need both) and two
# reviewers (a decision needs a second reviewer).
DEMO_USERS = [
    ("secretariat@demo.example.org", Role.SECRETARIAT, None, False),
    ("reviewer@demo.example.org", Role.REVIEWER, None, False),
    ("reviewer2@demo.example.org", Role.REVIEWER, None, False),
    ("counsel@demo.example.org", Role.COUNSEL, None, False),
    ("sia.head@demo.example.org", Role.DELEGATE, "SIA", True),
    ("csia.head@demo.example.org", Role.DELEGATE, "CSIA", True),
    ("csia.delegate@demo.example.org", Role.DELEGATE, "CSIA", False),
    ("observer@demo.example.org", Role.OBSERVER, None, False),
]


def demo_users(session: Session) -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; (e-mail, role, password) of each."""
    actor = Actor.system("demo")
    existing = {user.email for user in accounts.users(session)}
    made = []
    for email, role, delegation, head in DEMO_USERS:
        if email in existing:
            continue
        user, password = accounts.add_user(session, actor, email, role, None, delegation, head)
        label = role.value
        if delegation:
            label += f" ({'head of ' if head else ''}{delegation})"
        made.append((user.email, label, password))
    return made


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
        made = demo_users(session)
        count = rescreen_all(session, screener, key, "demo")
    print(f"screened {count} companies and participants against {len(screener):,} list entries")
    if made:
        print("demo accounts (passwords are shown this once; reset with")
        print("`chipbridge users reset-password EMAIL`):")
        for email, role, password in made:
            print(f"  {email:34} {role:28} {password}")
    else:
        print("demo accounts exist; `chipbridge users list` shows them and")
        print("`chipbridge users reset-password EMAIL` prints a new password")
    from chipbridge.web.server import serve

    print(f"chipbridge is serving at http://127.0.0.1:{port} (data in {home}); Ctrl-C stops it")
    engine.dispose()
    serve(port)


if __name__ == "__main__":
    main()
