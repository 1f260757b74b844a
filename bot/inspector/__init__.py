"""The inspector's side of the Telegram bot: tasks, assignments, evidence, the report."""
