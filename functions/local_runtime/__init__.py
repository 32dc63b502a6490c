"""The embedded local runtime: a directory as the bucket, SQLite for queues, archive and state.

It runs the very handlers and routing rules that AWS runs; see ``functions.local_runtime.runtime``.
"""
