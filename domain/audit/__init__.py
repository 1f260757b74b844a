"""The tamper-evident audit log: appending hash-chained entries, and checking the chain."""
