"""Task services: every change of a task goes through the lifecycle, the access rules and the
audit log, in one transaction with its notifications."""
