from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_lookup_indexes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Campaign',
            name='ratio_reason',
            field=fields.TextField(null=True),
        ),
        ops.AddField(
            model_name='Campaign',
            name='frequency_reason',
            field=fields.TextField(null=True),
        ),
    ]
