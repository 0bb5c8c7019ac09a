"""Checks for the lesson notebooks' exercises, one module per notebook.

Expected answers are computed from the data when the check runs, never typed in, so a check
stays right when the data or the town's generator changes.
"""
