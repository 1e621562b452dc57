"""The composer window and its parts (the logic is ``services/compose.py``)."""
