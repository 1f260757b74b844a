"""A realistic, deterministic demo data set: 示范市人防办's list and two directories."""

from domain.demo.categories import CATEGORIES
from domain.demo.generate import DEFAULT_SEED, build_demo
from domain.demo.loader import Counts, database_counts, load_demo
from domain.demo.spec import DemoData

__all__ = [
    "CATEGORIES",
    "DEFAULT_SEED",
    "Counts",
    "DemoData",
    "build_demo",
    "database_counts",
    "load_demo",
]
