"""What the tests share: builders, sample files, fixtures' bodies and harnesses.

A test module imports from here (and from tests.fakebot, the fake Bot API), never from another
test module or a conftest (tests/test_layout.py checks).
"""
