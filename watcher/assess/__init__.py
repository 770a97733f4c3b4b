"""Assess: evaluators' 0–4 records per learner and competence (pure rules)."""
