"""the hash-chained append-only audit log; one row per minutes approval; four-eyes review
rounds; false-positive memory

Revision ID: 0003
Revises: 0002

Existing audit rows are chained in id order; existing approvals (delegation codes in
``minutes.approved_by``) become rows. Downgrading puts both back.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from chipbridge.workgroup.audit.chain import GENESIS, row_hash

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _chain_the_audit_log()
    _approvals_as_rows()
    with op.batch_alter_table("review_decisions") as batch:
        batch.add_column(sa.Column("round", sa.Integer(), server_default="0", nullable=False))
        batch.create_unique_constraint(
            op.f("uq_review_decisions_record_id"), ["record_id", "round", "reviewer"]
        )
    with op.batch_alter_table("screening_records") as batch:
        batch.add_column(
            sa.Column("review_round", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("note", sa.String(length=1000), nullable=True))
    op.create_table(
        "false_positives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["screening_records.id"],
            name=op.f("fk_false_positives_record_id_screening_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_false_positives")),
    )
    op.create_index("ix_false_positives_party", "false_positives", ["subject", "subject_id"])
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


# The app never updates or deletes audit rows; the database refuses it too.
APPEND_ONLY = {
    "postgresql": [
        """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$""",
        """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
        """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END""",
    ],
}
DROP_APPEND_ONLY = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        "DROP FUNCTION IF EXISTS audit_log_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_log_no_update",
        "DROP TRIGGER IF EXISTS audit_log_no_delete",
    ],
}
audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
minutes = sa.table("minutes", sa.column("id", sa.Integer), sa.column("approved_by", sa.JSON))
approvals = sa.table(
    "minutes_approvals",
    sa.column("minutes_id", sa.Integer),
    sa.column("delegation_id", sa.Integer),
    sa.column("approved_by", sa.String),
    sa.column("approved_at", sa.DateTime),
)
delegations = sa.table("delegations", sa.column("id", sa.Integer), sa.column("code", sa.String))


def _chain_the_audit_log() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    prev = GENESIS
    for row in bind.execute(sa.select(audit).order_by(audit.c.id)).mappings().all():
        digest = row_hash(
            prev,
            row["id"],
            row["at"],
            row["actor"],
            row["action"],
            row["entity"],
            row["entity_id"],
            row["before"],
            row["after"],
        )
        bind.execute(
            audit.update().where(audit.c.id == row["id"]).values(prev_hash=prev, hash=digest)
        )
        prev = digest
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_log_hash"), ["hash"])
    op.create_index(op.f("ix_audit_log_actor"), "audit_log", ["actor"])
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])


def _approvals_as_rows() -> None:
    op.create_table(
        "minutes_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=254), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_minutes_approvals_delegation_id_delegations"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_approvals_minutes_id_minutes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_approvals")),
        sa.UniqueConstraint(
            "minutes_id", "delegation_id", name=op.f("uq_minutes_approvals_minutes_id")
        ),
    )
    bind = op.get_bind()
    ids = dict(bind.execute(sa.select(delegations.c.code, delegations.c.id)).all())
    now = datetime.now(UTC).replace(tzinfo=None)
    for minutes_id, codes in bind.execute(sa.select(minutes.c.id, minutes.c.approved_by)).all():
        for code in codes or []:
            bind.execute(
                approvals.insert().values(
                    minutes_id=minutes_id,
                    delegation_id=ids[code],
                    approved_by="(approved before accounts existed)",
                    approved_at=now,
                )
            )
    with op.batch_alter_table("minutes") as batch:
        batch.drop_column("approved_by")


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index("ix_false_positives_party", table_name="false_positives")
    op.drop_table("false_positives")
    with op.batch_alter_table("screening_records") as batch:
        batch.drop_column("note")
        batch.drop_column("review_round")
    with op.batch_alter_table("review_decisions") as batch:
        batch.drop_constraint(op.f("uq_review_decisions_record_id"), type_="unique")
        batch.drop_column("round")
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("approved_by", sa.JSON(), nullable=True))
    bind = op.get_bind()
    joined = (
        sa.select(approvals.c.minutes_id, delegations.c.code)
        .join(delegations, delegations.c.id == approvals.c.delegation_id)
        .order_by(approvals.c.minutes_id)
    )
    codes: dict[int, list[str]] = {}
    for minutes_id, code in bind.execute(joined).all():
        codes.setdefault(minutes_id, []).append(code)
    for (minutes_id,) in bind.execute(sa.select(minutes.c.id)).all():
        bind.execute(
            minutes.update()
            .where(minutes.c.id == minutes_id)
            .values(approved_by=codes.get(minutes_id, []))
        )
    with op.batch_alter_table("minutes") as batch:
        batch.alter_column("approved_by", existing_type=sa.JSON(), nullable=False)
    op.drop_table("minutes_approvals")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_actor"), table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint(op.f("uq_audit_log_hash"), type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
