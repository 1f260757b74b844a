from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_api_token')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BotState',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=32)),
                ('key', fields.CharField(max_length=200)),
                ('value', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'bot_state', 'app': 'models', 'unique_together': (('kind', 'key'),), 'pk_attr': 'id', 'table_description': 'One remembered value of a chat adapter: a conversation\'s state or a user\'s draft data.'},
            bases=['Model'],
        ),
    ]
