from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.storage.models.enrollment import InviteRole
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_telegram_account_current_task')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('role', fields.CharEnumField(description='INSPECTOR: inspector\nCOORDINATOR: coordinator', enum_type=InviteRole, max_length=16)),
                ('person_id', fields.IntField()),
                ('label', fields.CharField(default='', max_length=100)),
                ('created_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_by', fields.CharField(null=True, max_length=100)),
            ],
            options={'table': 'api_token', 'app': 'models', 'indexes': [Index(fields=['role', 'person_id'])], 'pk_attr': 'id', 'table_description': 'A token acting as one person until revoked. The token itself is shown once, on issue.'},
            bases=['Model'],
        ),
    ]
