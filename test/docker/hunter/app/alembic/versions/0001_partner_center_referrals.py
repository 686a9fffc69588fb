"""partner_center_referrals"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "partner_center_referrals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referral_id", sa.String(255), nullable=False, unique=True),
        sa.Column("referral_type", sa.String(50)),
        sa.Column("company_name", sa.String(255)),
        sa.Column("domain", sa.String(255)),
        sa.Column("status", sa.String(50)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )


def downgrade():
    op.drop_table("partner_center_referrals")
