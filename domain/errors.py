"""Errors meant for the person at the keyboard: the message says what to fix."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; the message is shown as is."""


class NotFound(UserError):
    pass


class PermissionDenied(UserError):
    pass
