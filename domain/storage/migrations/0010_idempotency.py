from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_auth')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IdempotentRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.CharField(max_length=100)),
                ('key', fields.CharField(max_length=200)),
                ('fingerprint', fields.CharField(max_length=64)),
                ('status', fields.IntField()),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'idempotent_request', 'app': 'models', 'unique_together': (('owner', 'key'),), 'pk_attr': 'id', 'table_description': "One person's write under one key: what was asked (its fingerprint) and answered."},
            bases=['Model'],
        ),
    ]
