"""A realistic, deterministic demo data set: 示范市人防办's list and two directories."""

from demo.categories import CATEGORIES
from demo.generate import DEFAULT_SEED, build_demo
from demo.loader import Counts, database_counts, load_demo
from demo.spec import DemoData

__all__ = [
    "CATEGORIES",
    "DEFAULT_SEED",
    "Counts",
    "DemoData",
    "build_demo",
    "database_counts",
    "load_demo",
]
