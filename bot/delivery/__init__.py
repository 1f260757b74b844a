"""Sending the domain's outbox to Telegram: rendering, pacing, message parts, reminders."""
