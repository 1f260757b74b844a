"""The coordinator's side of the Telegram bot: draws, review, notices."""
