"""Writing the demo data set into the database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from demo.spec import DemoData
from domain.storage.models import Conflict, Department, InspectionItem, Inspector, Target


@dataclass(frozen=True)
class Counts:
    departments: int
    items: int
    targets: int
    inspectors: int
    conflicts: int

    @property
    def empty(self) -> bool:
        return not (self.departments or self.items or self.targets or self.inspectors)


async def database_counts() -> Counts:
    return Counts(
        departments=await Department.all().count(),
        items=await InspectionItem.all().count(),
        targets=await Target.all().count(),
        inspectors=await Inspector.all().count(),
        conflicts=await Conflict.all().count(),
    )


async def load_demo(data: DemoData) -> Counts:
    """Insert `data`; the caller checks the database is empty (codes are unique keys)."""
    async with in_transaction() as conn:
        depts: dict[str, Department] = {}
        for d in data.departments:  # parents come first in the table
            depts[d.code] = await Department.create(
                code=d.code,
                name=d.name,
                parent=depts[d.parent_code] if d.parent_code else None,
                path=d.path,
                using_db=conn,
            )
        await InspectionItem.bulk_create(
            [
                InspectionItem(
                    code=i.code,
                    name=i.name,
                    legal_basis=i.legal_basis,
                    body=depts[i.body_code],
                    content=i.content,
                    categories=list(i.categories),
                    kind=i.kind,
                    ratio_percent=i.ratio_percent,
                    frequency_per_year=i.frequency_per_year,
                    method=i.method,
                    requirements=i.requirements,
                    inspector_specialty=i.inspector_specialty,
                )
                for i in data.items
            ],
            using_db=conn,
        )
        await Target.bulk_create(
            [
                Target(
                    credit_code=t.credit_code,
                    name=t.name,
                    categories=list(t.categories),
                    region=depts[t.region_code],
                    address=t.address,
                    latitude=t.latitude,
                    longitude=t.longitude,
                    status=t.status,
                    jurisdiction=depts[t.jurisdiction_code],
                    complaints=t.complaints,
                    abnormal_listed=t.abnormal_listed,
                    bad_record=t.bad_record,
                    serious_violation=t.serious_violation,
                    risk_class=t.risk_class,
                )
                for t in data.targets
            ],
            batch_size=500,
            using_db=conn,
        )
        await Inspector.bulk_create(
            [
                Inspector(
                    cert_no=p.cert_no,
                    name=p.name,
                    department=depts[p.department_code],
                    cert_valid_until=p.cert_valid_until,
                    specialties=list(p.specialties),
                    patch=depts[p.patch_code] if p.patch_code else None,
                    is_expert=p.is_expert,
                    active=p.active,
                )
                for p in data.inspectors
            ],
            using_db=conn,
        )
        # bulk_create does not return ids on every backend: look them up by natural key.
        target_ids = dict(
            await Target.filter(credit_code__in=[c.credit_code for c in data.conflicts])
            .using_db(conn)
            .values_list("credit_code", "id")
        )
        inspector_ids = dict(
            await Inspector.filter(cert_no__in=[c.cert_no for c in data.conflicts])
            .using_db(conn)
            .values_list("cert_no", "id")
        )
        await Conflict.bulk_create(
            [
                Conflict(
                    inspector_id=inspector_ids[c.cert_no],
                    target_id=target_ids[c.credit_code],
                    reason=c.reason,
                )
                for c in data.conflicts
            ],
            using_db=conn,
        )
    return Counts(
        departments=len(data.departments),
        items=len(data.items),
        targets=len(data.targets),
        inspectors=len(data.inspectors),
        conflicts=len(data.conflicts),
    )
