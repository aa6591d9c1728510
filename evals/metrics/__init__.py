"""Metric functions, each on one question's result; aggregation lives in evals.aggregate."""
