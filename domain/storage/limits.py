"""How long a text column is: input longer than its column is refused before it reaches the
database (PostgreSQL would fail, SQLite would keep it whole), with a message naming the limit."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


def max_length(model: type[Model], field: str) -> int:
    column = model._meta.fields_map[field]
    if not isinstance(column, fields.CharField):
        raise TypeError(f"{model.__name__}.{field} is not a CharField")
    return column.max_length
