"""Working-day calendar years an office imported itself (they override chinesecalendar)."""

from __future__ import annotations

from tortoise import fields

from domain.storage.models.base import Model


class CalendarYear(Model):
    """One year's holidays and swapped working days, replaced as a whole on re-import."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    # [{"date": "2027-01-01", "name": "元旦"}, ...]: read whole, never queried by date.
    holidays: fields.JSONField[list[dict[str, str]]] = fields.JSONField()
    workdays: fields.JSONField[list[dict[str, str]]] = fields.JSONField()
    source = fields.CharField(max_length=200)  # the notice it was written from, or the file
    file_name = fields.CharField(max_length=255)
    imported_at = fields.DatetimeField()

    class Meta:
        table = "calendar_year"
