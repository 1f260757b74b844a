"""Pure rules, no database and no IO: who may see what, the task lifecycle, a team's duties,
the report's rules, credit codes."""
