"""Reading without the ORM connects as the ORM would: a PostgreSQL URL gives asyncpg exactly
what tortoise's own reading of it gives, and a URL it reads further goes the ORM's way."""

from __future__ import annotations

import pytest
from tortoise.backends.base.config_generator import expand_db_url

from domain.storage.plain_read import postgres_params, sqlite_path


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/shuangsuiji",
        "postgresql://ssj:s%40cret%3Aword@db.example.internal:6543/ssj",
        "asyncpg://ssj:pw@[::1]:5432/ssj",
        "postgres://ssj@localhost/ssj",
        "postgres://Ssj:pw@DB.Local/",
        "postgres:///ssj",
        "postgres://",
    ],
)
def test_a_postgres_url_connects_as_tortoise_connects(url):
    expected = expand_db_url(url)
    if "[" in url:  # an IPv6 host: tortoise's reading, not attempted here
        assert postgres_params(url) is None
        return
    assert expected["engine"] == "tortoise.backends.asyncpg"
    assert postgres_params(url) == expected["credentials"]


@pytest.mark.parametrize(
    "url",
    [
        "postgres://ssj@127.0.0.1/ssj?schema=inspections",
        "postgres://ssj@127.0.0.1/ssj?ssl=true",
        "postgres://ssj:pa[ss@127.0.0.1/ssj",
        "postgres://ssj@127.0.0.1:port/ssj",
        "psycopg://ssj@127.0.0.1/ssj",
        "sqlite:///var/ssj.sqlite3",
    ],
)
def test_a_url_with_more_than_that_goes_the_orms_way(url):
    assert postgres_params(url) is None


def test_the_sqlite_file_is_read_as_tortoise_reads_it():
    assert sqlite_path("sqlite:///var/lib/ssj.sqlite3?journal_mode=wal") == "/var/lib/ssj.sqlite3"
    assert sqlite_path("sqlite://var/ssj.sqlite3") == "var/ssj.sqlite3"
    assert (
        expand_db_url("sqlite://var/ssj.sqlite3")["credentials"]["file_path"] == "var/ssj.sqlite3"
    )
    assert sqlite_path("sqlite://:memory:") is None
    assert sqlite_path("postgres://ssj@127.0.0.1/ssj") is None
