"""Models read by one plain joined query, for the reads every request makes: each table's
columns under its alias (`t."id" AS "t.id"`), each row split back into model instances, and
the related ones attached where the ORM's select_related puts them.

The ORM builds its joined query anew on every call, and on a task's view building it cost
more than running it. The column lists here are made once per model and alias; the instances
are the ORM's own (`_init_from_db`, which converts each value as a query of the ORM does), so
they can be saved and followed like any other.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


@cache
def _columns(model: type[Model]) -> tuple[str, ...]:
    return tuple(sorted(model._meta.db_fields))


@cache
def select_list(model: type[Model], alias: str) -> str:
    """The model's columns for a SELECT, each named "alias.column"."""
    return ", ".join(f'{alias}."{c}" AS "{alias}.{c}"' for c in _columns(model))


def instance(model: type[M], alias: str, row: dict[str, Any]) -> M:
    """The instance of `model` held in `row` under `alias`."""
    return model._init_from_db(**{c: row[f"{alias}.{c}"] for c in _columns(model)})


def attach(owner: Model, relation: str, related: Model) -> None:
    """`owner.relation` answers `related` without a query, as after select_related."""
    object.__setattr__(owner, f"_{relation}", related)
