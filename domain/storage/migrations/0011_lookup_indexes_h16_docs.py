from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_idempotency')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Task',
            index=Index(fields=['campaign_id', 'number']),
        ),
        ops.AddIndex(
            model_name='TeamMember',
            index=Index(fields=['inspector_id']),
        ),
    ]
