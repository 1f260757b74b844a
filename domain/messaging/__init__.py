"""What is sent to whom: the outbox and stored reminders, what a delivery implies, and the
per-chat state a chat adapter keeps in the same database (language, blocked, conversations)."""
