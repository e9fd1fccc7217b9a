"""Bounds of every count an operator types or imports: far above any real figure (Indonesia's whole DPT is about
205 million voters; a DPRD has at most 120 seats), far below what the database columns hold, so a typo or a
hostile value is refused with a message instead of overflowing a column."""

from django.core.validators import MaxValueValidator

COUNT_MAX = 1_000_000_000
SEATS_MAX = 1_000
count_validators = [MaxValueValidator(COUNT_MAX)]
seats_validators = [MaxValueValidator(SEATS_MAX)]
