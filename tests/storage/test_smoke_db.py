from domain.storage.models import Department


async def test_department_roundtrip(db):
    city = await Department.create(code="3201", name="南京市", path="/3201/")
    await Department.create(code="320102", name="玄武区", parent=city, path="/3201/320102/")
    assert await Department.filter(path__startswith="/3201/").count() == 2
