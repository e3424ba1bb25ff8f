"""the meeting lifecycle: states, policy tracks per meeting, the antitrust item, late items,
counsel's sign-offs, attendance, bilingual minutes blocks, venues and time zones; soft
deletion of companies, participants, tracks and agenda items

Revision ID: 0004
Revises: 0003

Existing meetings get a state from what they hold ("planned" becomes draft; with minutes,
minutes drafted, or minutes approved once every delegation approved), the tracks their items
use (all tracks when none), and - while still draft - the antitrust statement as first item.
Existing minutes' text becomes one English block. Downgrading puts the text and the old
statuses back and deletes what the old schema cannot hold (the antitrust items, removed and
unapproved late items); removed companies and participants count as present again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ANTITRUST_EN = "Antitrust statement"
ANTITRUST_ZH = "反垄断声明"
HOMES = {"US": ("Washington, D.C.", "America/New_York"), "CN": ("Beijing", "Asia/Shanghai")}

meetings = sa.table(
    "meetings",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
)
tracks = sa.table("tracks", sa.column("id", sa.Integer))
meeting_tracks = sa.table(
    "meeting_tracks", sa.column("meeting_id", sa.Integer), sa.column("track_id", sa.Integer)
)
items = sa.table(
    "agenda_items",
    sa.column("id", sa.Integer),
    sa.column("meeting_id", sa.Integer),
    sa.column("track_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("title", sa.String),
    sa.column("title_zh", sa.String),
    sa.column("antitrust", sa.Boolean),
    sa.column("late", sa.String),
    sa.column("removed_at", sa.DateTime),
)
minutes = sa.table(
    "minutes", sa.column("id", sa.Integer), sa.column("meeting_id", sa.Integer), sa.column("text")
)
blocks = sa.table(
    "minutes_blocks",
    sa.column("id", sa.Integer),
    sa.column("minutes_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("attributed_to", sa.String),
    sa.column("text_en", sa.Text),
    sa.column("text_zh", sa.Text),
    sa.column("recorded_by", sa.String),
    sa.column("removed_at", sa.DateTime),
)
approvals = sa.table(
    "minutes_approvals", sa.column("minutes_id", sa.Integer), sa.column("delegation_id")
)
delegations = sa.table(
    "delegations",
    sa.column("id", sa.Integer),
    sa.column("country", sa.String),
    sa.column("venue", sa.String),
    sa.column("timezone", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "meeting_tracks",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_tracks_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["track_id"], ["tracks.id"], name=op.f("fk_meeting_tracks_track_id_tracks")
        ),
        sa.PrimaryKeyConstraint("meeting_id", "track_id", name=op.f("pk_meeting_tracks")),
    )
    op.create_table(
        "sign_offs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_by", sa.String(length=254), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_sign_offs_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_offs")),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_attendance_delegation_id_delegations"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_attendance_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_attendance_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("meeting_id", "participant_id", name=op.f("uq_attendance_meeting_id")),
    )
    op.create_table(
        "minutes_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("attributed_to", sa.String(length=300), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_minutes_blocks_agenda_item_id_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_blocks_minutes_id_minutes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_blocks")),
    )
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("title_zh", sa.String(length=300), nullable=True))
        batch.add_column(
            sa.Column("antitrust", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("late", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("late_reason", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("late_decided_by", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("late_decided_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("removed_by", sa.String(length=254), nullable=True))
        batch.alter_column("track_id", existing_type=sa.Integer(), nullable=True)
    for table in ("companies", "participants"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
            batch.add_column(sa.Column("removed_by", sa.String(length=254), nullable=True))
    with op.batch_alter_table("tracks") as batch:
        batch.add_column(sa.Column("name_zh", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("removed_by", sa.String(length=254), nullable=True))
    with op.batch_alter_table("delegations") as batch:
        batch.add_column(sa.Column("venue", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column("start_time", sa.Time(), server_default="09:00:00", nullable=False)
        )
        batch.add_column(
            sa.Column("end_time", sa.Time(), server_default="17:00:00", nullable=False)
        )
        batch.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False)
        )
        batch.add_column(sa.Column("host_delegation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("circulated_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("locked_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("held_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("counsel_present", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("counsel_name", sa.String(length=200), nullable=True))
        batch.create_foreign_key(
            op.f("fk_meetings_host_delegation_id_delegations"),
            "delegations",
            ["host_delegation_id"],
            ["id"],
        )
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("drafted_by", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("drafted_at", sa.DateTime(), nullable=True))
    _carry_the_data_up()
    with op.batch_alter_table("minutes") as batch:
        batch.drop_column("text")


def _carry_the_data_up() -> None:
    bind = op.get_bind()
    for country, (venue, zone) in HOMES.items():
        bind.execute(
            delegations.update()
            .where(delegations.c.country == country)
            .values(venue=venue, timezone=zone)
        )
    sides = bind.execute(sa.select(sa.func.count()).select_from(delegations)).scalar() or 0
    all_tracks = [t for (t,) in bind.execute(sa.select(tracks.c.id).order_by(tracks.c.id))]
    for meeting_id, status in bind.execute(sa.select(meetings.c.id, meetings.c.status)).all():
        rows = bind.execute(
            sa.select(items.c.id, items.c.track_id)
            .where(items.c.meeting_id == meeting_id)
            .order_by(items.c.id)
        ).all()
        for position, (item_id, _) in enumerate(rows, start=1):
            bind.execute(items.update().where(items.c.id == item_id).values(position=position))
        used = sorted({track for _, track in rows}) or all_tracks
        for track in used:
            bind.execute(meeting_tracks.insert().values(meeting_id=meeting_id, track_id=track))
        minutes_id = bind.execute(
            sa.select(minutes.c.id).where(minutes.c.meeting_id == meeting_id)
        ).scalar()
        if minutes_id is not None:
            approved = (
                bind.execute(
                    sa.select(sa.func.count())
                    .select_from(approvals)
                    .where(approvals.c.minutes_id == minutes_id)
                ).scalar()
                or 0
            )
            state = "minutes_approved" if sides and approved >= sides else "minutes_drafted"
        elif status == "held":
            state = "held"
        else:
            state = "draft"
        if state == "draft":
            bind.execute(
                items.insert().values(
                    meeting_id=meeting_id,
                    track_id=None,
                    position=0,
                    title=ANTITRUST_EN,
                    title_zh=ANTITRUST_ZH,
                    antitrust=True,
                )
            )
        bind.execute(meetings.update().where(meetings.c.id == meeting_id).values(status=state))
    for minutes_id, text in bind.execute(sa.select(minutes.c.id, minutes.c.text)).all():
        bind.execute(
            blocks.insert().values(
                minutes_id=minutes_id,
                position=1,
                attributed_to="(recorded before bilingual minutes)",
                text_en=text,
                text_zh="",
                recorded_by="(recorded before bilingual minutes)",
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
    for (minutes_id,) in bind.execute(sa.select(minutes.c.id)).all():
        texts = bind.execute(
            sa.select(blocks.c.text_en)
            .where(blocks.c.minutes_id == minutes_id, blocks.c.removed_at.is_(None))
            .order_by(blocks.c.position)
        ).scalars()
        bind.execute(
            minutes.update().where(minutes.c.id == minutes_id).values(text="\n\n".join(texts))
        )
    with op.batch_alter_table("minutes") as batch:
        batch.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch.drop_column("drafted_at")
        batch.drop_column("drafted_by")
    bind.execute(
        meetings.update()
        .where(meetings.c.status.in_(["draft", "agenda_circulated", "agenda_locked"]))
        .values(status="planned")
    )
    bind.execute(
        meetings.update()
        .where(meetings.c.status.in_(["minutes_drafted", "minutes_approved"]))
        .values(status="held")
    )
    op.drop_table("minutes_blocks")
    op.drop_table("attendance")
    op.drop_table("sign_offs")
    op.drop_table("meeting_tracks")
    bind.execute(
        items.delete().where(
            items.c.antitrust.is_(True)
            | items.c.removed_at.is_not(None)
            | items.c.late.in_(["pending", "refused"])
        )
    )
    with op.batch_alter_table("meetings") as batch:
        batch.drop_constraint(
            op.f("fk_meetings_host_delegation_id_delegations"), type_="foreignkey"
        )
        for column in (
            "counsel_name",
            "counsel_present",
            "held_at",
            "locked_at",
            "circulated_at",
            "host_delegation_id",
            "timezone",
            "end_time",
            "start_time",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("delegations") as batch:
        batch.drop_column("timezone")
        batch.drop_column("venue")
    with op.batch_alter_table("tracks") as batch:
        batch.drop_column("removed_by")
        batch.drop_column("removed_at")
        batch.drop_column("name_zh")
    for table in ("participants", "companies"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("removed_by")
            batch.drop_column("removed_at")
    with op.batch_alter_table("agenda_items") as batch:
        batch.alter_column("track_id", existing_type=sa.Integer(), nullable=False)
        for column in (
            "removed_by",
            "removed_at",
            "late_decided_at",
            "late_decided_by",
            "late_reason",
            "late",
            "antitrust",
            "title_zh",
            "position",
        ):
            batch.drop_column(column)
