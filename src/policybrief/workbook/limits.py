"""The limits a workbook's model must stay within, declared once (WORKBOOK.md "Size limits").

Each is an input error naming the cell and the limit.

Size: at most ``MAX_SCENARIOS`` scenarios, ``MAX_LEVERS`` levers, ``MAX_TARGETS`` targets and
a horizon of ``MAX_HORIZON`` years; ``MIN_DRAWS`` to ``MAX_DRAWS`` draws. No separate cap on
draws × scenarios × years is needed: the engine's memory does not grow with the draws
(percentiles come from a bounded subset, MODEL.md), and at the largest model allowed (12
scenarios × 30 years × 25 levers × 10 targets) a whole build peaked at 543 MiB with 1,000,000
draws (5.5 s) and 587 MiB with 10,000,000 (18 s).

Magnitudes (so that no finite valid input overflows or divides by zero anywhere in the model:
everything it computes is a product of at most a few inputs, one ``1 + growth`` factor per
year, and a few sums):

- every number is 0 or between ``MIN_MAGNITUDE`` and ``MAX_MAGNITUDE`` in size (amounts in
  the workbook's currency unit included: 10^15 is a thousand times the world's GDP in US
  dollars);
- counts of people at most ``MAX_PERSONS`` (more than the world's population);
  ``workforce_base`` at least ``MIN_WORKFORCE``; ``realization_base`` and
  ``realization_max`` at least ``MIN_REALIZATION`` (the model divides by the first);
- ``goal_seek_max_scale`` at most ``MAX_GOAL_SEEK_SCALE``;
- in every scenario, the levers of a share channel (productivity, absorption, realization)
  together move their share by at most ``MAX_LEVER_TERM`` (100 percentage points) a year, and
  emigration levers never make attrition + emigration reach 1 (``wellposed.py``).
"""

from __future__ import annotations

MAX_SCENARIOS = 12
MAX_LEVERS = 25
MAX_TARGETS = 10
MAX_HORIZON = 30
MIN_DRAWS, MAX_DRAWS = 100, 10_000_000

MIN_MAGNITUDE = 1e-9
MAX_MAGNITUDE = 1e15
MAX_PERSONS = 1e10
MIN_WORKFORCE = 1.0
MIN_REALIZATION = 0.01
MAX_GOAL_SEEK_SCALE = 1000.0
MAX_LEVER_TERM = 1.0
