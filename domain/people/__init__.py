"""The people who use the system: inspectors and coordinators as actors, enrollment with one-time
codes, and API tokens."""
