"""`newsqa bench`: how long people wait, measured (ingest, queries, growth, cold start, scale-out).

Run ``newsqa bench`` (or ``python -m evals.bench``); see ``newsqa bench --help``. Every figure is
a median or a percentile over repeats, and every overhead is a ratio to a baseline measured in
the same run, because the machines this runs on are shared and noisy.
"""
