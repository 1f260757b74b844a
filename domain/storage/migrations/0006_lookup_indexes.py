from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_draw_candidates')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Conflict',
            index=Index(fields=['target_id']),
        ),
        ops.AddIndex(
            model_name='Task',
            index=Index(fields=['target_id']),
        ),
        ops.AddIndex(
            model_name='TeamMember',
            index=Index(fields=['task_id']),
        ),
    ]
