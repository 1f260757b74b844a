from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class DropColumn(ops.RemoveField):
    """RemoveField by ALTER TABLE ... DROP COLUMN on every backend. On SQLite, RemoveField
    rebuilds the table, and dropping the old `draw` table deletes its rows first, which
    cascades to the frozen lists just copied and is refused where tasks point to a draw."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor:
            table = old_state.apps.get_model(f"{app_label}.{self.model_name}")._meta.db_table
            await state_editor.client.execute_script(
                f'ALTER TABLE "{table}" DROP COLUMN "{self.name}"'
            )


class PostgresStorageExternal(ops.RunSQL):
    """Tens of MB of text per big draw stored without PostgreSQL's default compression (pglz),
    which took longer than the whole reveal's other writes; SQLite has no such setting."""

    def __init__(self, columns):
        super().__init__(
            [f'ALTER TABLE "{t}" ALTER COLUMN "{c}" SET STORAGE EXTERNAL' for t, c in columns]
        )

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor and state_editor.client.capabilities.dialect == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [('models', '0004_bot_state')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DrawCandidates',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('draw', fields.OneToOneField('models.Draw', source_field='draw_id', db_constraint=True, to_field='id', related_name='frozen', on_delete=OnDelete.CASCADE)),
                ('candidates', fields.TextField(unique=False)),
            ],
            options={'table': 'draw_candidates', 'app': 'models', 'pk_attr': 'id', 'table_description': "A prepared draw's frozen candidate ids per stratum and inspector pool. Up to a million"},
            bases=['Model'],
        ),
        # Draws prepared before this migration keep their frozen lists.
        ops.RunSQL('INSERT INTO draw_candidates (draw_id, candidates) SELECT id, CAST(candidates AS TEXT) FROM draw'),
        PostgresStorageExternal([('draw', 'record'), ('draw_candidates', 'candidates')]),
        DropColumn(model_name='Draw', name='candidates'),
    ]
