"""Writes for organisations and people. Views call these; they never write models themselves."""
