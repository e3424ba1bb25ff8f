"""list versions on every screening record; monitored parties, alerts, monitoring state

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_records") as batch:
        batch.add_column(sa.Column("lists_used", sa.JSON(), nullable=True))
    op.create_table(
        "monitored_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hits", sa.JSON(), nullable=False),
        sa.Column("near", sa.Double(), nullable=False),
        sa.Column("screened_at", sa.DateTime(), nullable=True),
        sa.Column("lists_used", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["companies.id"], name=op.f("fk_monitored_parties_owner_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitored_parties")),
        sa.UniqueConstraint("owner_id", "external_id", name=op.f("uq_monitored_parties_owner_id")),
    )
    op.create_index(
        op.f("ix_monitored_parties_owner_id"), "monitored_parties", ["owner_id"], unique=False
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("listed_name", sa.String(length=500), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("citation", sa.String(length=500), nullable=True),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("lists_used", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["companies.id"], name=op.f("fk_alerts_owner_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["screening_records.id"],
            name=op.f("fk_alerts_record_id_screening_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index("ix_alerts_party", "alerts", ["subject", "subject_id"], unique=False)
    op.create_index(op.f("ix_alerts_created_at"), "alerts", ["created_at"], unique=False)
    op.create_table(
        "monitoring_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("lists_key", sa.String(length=64), nullable=False),
        sa.Column("run", sa.String(length=32), nullable=False),
        sa.Column("full_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_state")),
    )


def downgrade() -> None:
    op.drop_table("monitoring_state")
    op.drop_index(op.f("ix_alerts_created_at"), table_name="alerts")
    op.drop_index("ix_alerts_party", table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_monitored_parties_owner_id"), table_name="monitored_parties")
    op.drop_table("monitored_parties")
    with op.batch_alter_table("screening_records") as batch:
        batch.drop_column("lists_used")
