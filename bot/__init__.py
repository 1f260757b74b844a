"""The Telegram adapter (python-telegram-bot): enrollment, menus, and delivery of the outbox."""
