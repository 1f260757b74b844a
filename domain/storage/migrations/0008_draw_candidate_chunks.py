from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class PostgresStorageExternal(ops.RunSQL):
    """Stored without PostgreSQL's compression (pglz), as the frozen lists were (0005)."""

    def __init__(self, columns):
        super().__init__(
            [f'ALTER TABLE "{t}" ALTER COLUMN "{c}" SET STORAGE EXTERNAL' for t, c in columns]
        )

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor and state_editor.client.capabilities.dialect == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [('models', '0007_campaign_item_reasons')]

    initial = False

    # Draws prepared before keep their lists in draw_candidates, which is still read.
    operations = [
        ops.CreateModel(
            name='DrawCandidateChunk',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('draw', fields.ForeignKeyField('models.Draw', source_field='draw_id', db_constraint=True, to_field='id', related_name='candidate_chunks', on_delete=OnDelete.CASCADE)),
                ('stratum', fields.CharField(max_length=100)),
                ('seq', fields.IntField()),
                ('ids', fields.TextField(unique=False)),
            ],
            options={'table': 'draw_candidate_chunk', 'app': 'models', 'unique_together': (('draw', 'stratum', 'seq'),), 'pk_attr': 'id', 'table_description': "A piece of a prepared draw's frozen candidates: up to `domain.campaigns.frozen.CHUNK`"},
            bases=['Model'],
        ),
        PostgresStorageExternal([('draw_candidate_chunk', 'ids')]),
    ]
