"""Errors meant for the person at the keyboard: the message says what to fix."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; the message is shown as is."""


class NotFound(UserError):
    pass


class PermissionDenied(UserError):
    pass


class StaleState(UserError):
    """Someone else changed the record between our read and our write; retry after reloading."""
