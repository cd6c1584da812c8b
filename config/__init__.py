"""Settings and file locks shared by every layer: where things are, which switches are on, one writer at a time.

The bottom layer: it imports nothing else from the project, so ingestion, serving, orchestration and the command
line can all read it.
"""
