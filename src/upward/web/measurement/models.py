"""Measurement and the Mobility Action Plan (guide Steps 8 to 10): measures of the logic
model's elements, baselines pinned to a release, targets, actions, sustainability and the
published plan. Each section's models are defined here."""
