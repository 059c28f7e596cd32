"""organisations.search_key: name and city folded for search, with an index

Revision ID: e7a3c9d1f5b8
Revises: e7c3a5f1b9d4
Create Date: 2026-12-06 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from audit_app.services.textsearch import normalise_name


# revision identifiers, used by Alembic.
revision = 'e7a3c9d1f5b8'
down_revision = 'e7c3a5f1b9d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=600), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_organisations_search_key'), ['search_key'], unique=False)
    # Existing rows, folded as the model folds them (models/organisations.search_key_of).
    organisations = sa.table(
        'organisations', sa.column('id', sa.Integer), sa.column('name', sa.String),
        sa.column('city', sa.String), sa.column('search_key', sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(organisations.c.id, organisations.c.name, organisations.c.city)).all()
    for start in range(0, len(rows), 1000):
        connection.execute(
            organisations.update().where(organisations.c.id == sa.bindparam('row_id')),
            [
                {'row_id': row.id, 'search_key': f"{normalise_name(row.name or '')}\n{normalise_name(row.city or '')}"}
                for row in rows[start:start + 1000]
            ],
        )


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_search_key'))
        batch_op.drop_column('search_key')
