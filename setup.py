"""The optional C extension (faster draw tickets); everything else is in pyproject.toml.

Without a C compiler and OpenSSL's headers the build skips it and the draw runs its pure-Python
tickets (domain/draw/tickets.py)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "domain.draw._fastticket",
            sources=["domain/draw/_fastticket.c"],
            libraries=["crypto"],
            optional=True,
        )
    ]
)
