"""The base of every model: tortoise's Model, without reading the model's source file.

For each model class tortoise parses the file it is defined in, looking for `#:` comments to
use as column descriptions, unless the class body sets `_no_comments`. These models have no
such comments, and that parsing was a third of what importing them costs: paid by every
command that opens the database, before it does anything."""

from __future__ import annotations

from typing import Any

from tortoise import models


class _Meta(models.ModelMeta):
    def __new__(cls, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> models.ModelMeta:
        attrs.setdefault("_no_comments", True)
        return super().__new__(cls, name, bases, attrs)


class Model(models.Model, metaclass=_Meta):
    class Meta:
        abstract = True
