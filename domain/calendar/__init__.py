"""Chinese working days and what is due when: the calendar, imported holiday years, deadlines
and their reminders, provisional (暂定) counting over a year no calendar covers."""
