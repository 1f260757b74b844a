from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.storage.models.api_token import TokenScope
from domain.storage.models.enrollment import InviteRole
from tortoise import fields
from tortoise.indexes import Index

class AddColumnWithDefault(ops.AddField):
    """AddField with the default in the database too, so that tokens issued before this
    migration get it: both backends refuse a NOT NULL column without one on a table with rows
    (SQLite even on an empty table)."""

    def __init__(self, sql_type, sql_default, **kwargs):
        super().__init__(**kwargs)
        self.sql_type = sql_type
        self.sql_default = sql_default

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor:
            table = old_state.apps.get_model(f"{app_label}.{self.model_name}")._meta.db_table
            await state_editor.client.execute_script(
                f'ALTER TABLE "{table}" ADD COLUMN "{self.name}" {self.sql_type} NOT NULL '
                f"DEFAULT {self.sql_default}"
            )


class Migration(migrations.Migration):
    dependencies = [('models', '0008_draw_candidate_chunks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LoginCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('role', fields.CharEnumField(description='INSPECTOR: inspector\nCOORDINATOR: coordinator', enum_type=InviteRole, max_length=16)),
                ('person_id', fields.IntField()),
                ('salt', fields.CharField(max_length=32)),
                ('code_hash', fields.CharField(max_length=64)),
                ('created_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('retired_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_code', 'app': 'models', 'indexes': [Index(fields=['role', 'person_id']), Index(fields=['expires_at'])], 'pk_attr': 'id', 'table_description': 'A six-digit, single-use code a person exchanges for a token: sent to their bound chat,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginThrottle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=120)),
                ('failures', fields.IntField(default=0)),
                ('last_failure_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_throttle', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Wrong codes counted per person and per client address, and until when each is held.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ApiToken',
            name='expires_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AddColumnWithDefault(
            "VARCHAR(8)",
            "'full'",
            model_name='ApiToken',
            name='scope',
            field=fields.CharEnumField(default=TokenScope.FULL, description='FULL: full\nREAD: read', enum_type=TokenScope, max_length=8),
        ),
    ]

