from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.models.directory import ItemKind, RiskClass, TargetStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Department',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=100)),
                ('parent', fields.ForeignKeyField('models.Department', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('path', fields.CharField(db_index=True, max_length=400)),
            ],
            options={'table': 'department', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A level of the hierarchy (city → county → ...), also used as a region.'},
            bases=['Timestamped'],
        ),
        ops.CreateModel(
            name='InspectionItem',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('legal_basis', fields.TextField(unique=False)),
                ('body', fields.ForeignKeyField('models.Department', source_field='body_id', db_constraint=True, to_field='id', related_name='items', on_delete=OnDelete.RESTRICT)),
                ('content', fields.TextField(unique=False)),
                ('categories', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('kind', fields.CharEnumField(default=ItemKind.GENERAL, description='GENERAL: general\nKEY: key', enum_type=ItemKind, max_length=16)),
                ('ratio_percent', fields.DecimalField(max_digits=6, decimal_places=2)),
                ('frequency_per_year', fields.IntField(default=1)),
                ('method', fields.TextField(default='', unique=False)),
                ('requirements', fields.TextField(default='', unique=False)),
                ('inspector_specialty', fields.CharField(default='', max_length=100)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'inspection_item', 'app': 'models', 'pk_attr': 'id', 'table_description': '抽查事项: one row of the inspection list.'},
            bases=['Timestamped'],
        ),
        ops.CreateModel(
            name='Inspector',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cert_no', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('department', fields.ForeignKeyField('models.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='inspectors', on_delete=OnDelete.RESTRICT)),
                ('cert_valid_until', fields.DateField()),
                ('specialties', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('patch', fields.ForeignKeyField('models.Department', source_field='patch_id', null=True, db_constraint=True, to_field='id', related_name='patch_inspectors', on_delete=OnDelete.RESTRICT)),
                ('is_expert', fields.BooleanField(default=False)),
                ('active', fields.BooleanField(default=True)),
                ('telegram_user_id', fields.BigIntField(null=True, unique=True)),
            ],
            options={'table': 'inspector', 'app': 'models', 'pk_attr': 'id', 'table_description': '执法检查人员 (or, with `is_expert`, a 专家 who may join a team but is not an officer).'},
            bases=['Timestamped'],
        ),
        ops.CreateModel(
            name='Target',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('credit_code', fields.CharField(unique=True, max_length=18)),
                ('name', fields.CharField(max_length=200)),
                ('categories', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('region', fields.ForeignKeyField('models.Department', source_field='region_id', db_constraint=True, to_field='id', related_name='targets_in_region', on_delete=OnDelete.RESTRICT)),
                ('address', fields.CharField(default='', max_length=300)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
                ('status', fields.CharEnumField(default=TargetStatus.OPERATING, description='OPERATING: operating\nCLOSED: closed\nDEREGISTERED: deregistered', enum_type=TargetStatus, max_length=16)),
                ('jurisdiction', fields.ForeignKeyField('models.Department', source_field='jurisdiction_id', null=True, db_constraint=True, to_field='id', related_name='targets_supervised', on_delete=OnDelete.RESTRICT)),
                ('complaints', fields.IntField(default=0)),
                ('abnormal_listed', fields.BooleanField(default=False)),
                ('bad_record', fields.BooleanField(default=False)),
                ('serious_violation', fields.BooleanField(default=False)),
                ('risk_class', fields.CharEnumField(default=RiskClass.B, description='A: A\nB: B\nC: C\nD: D', enum_type=RiskClass, max_length=1)),
            ],
            options={'table': 'target', 'app': 'models', 'pk_attr': 'id', 'table_description': '抽查对象: a business that can be drawn.'},
            bases=['Timestamped'],
        ),
        ops.CreateModel(
            name='Conflict',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inspector', fields.ForeignKeyField('models.Inspector', source_field='inspector_id', db_constraint=True, to_field='id', related_name='conflicts', on_delete=OnDelete.CASCADE)),
                ('target', fields.ForeignKeyField('models.Target', source_field='target_id', db_constraint=True, to_field='id', related_name='conflicts', on_delete=OnDelete.CASCADE)),
                ('reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'conflict', 'app': 'models', 'unique_together': (('inspector', 'target'),), 'pk_attr': 'id', 'table_description': 'A declared conflict of interest: this inspector never inspects this target (回避).'},
            bases=['Timestamped'],
        ),
    ]
