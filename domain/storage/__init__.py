"""The database: configuration, the tortoise models, migrations, SQLite checkpoints."""
