"""The notifications app's commands: sending the due reminders."""
