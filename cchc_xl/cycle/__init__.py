"""The yearly cycle: officer workbooks issued, returns read and merged, reminders."""
