"""`import`, `export`, `list`, `dept`: the inspection list and the two directories."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    pass
