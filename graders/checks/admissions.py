"""The admissions table shipped with 04_data (admissions.csv), made by a fixed rule.

Each row is one applicant: `age,secondary_marks,higher_secondary_marks,admission`.

- The first four rows are the deck's table, as printed there:
  20,356,471,0 / 18,421,405,1 / 19,321,300,0 / 18,423,400,1.
- The other rows (ADMISSIONS_ROWS in all) are drawn with NumPy from
  `rng = numpy.random.default_rng(ADMISSIONS_SEED)`, one applicant at a time, in this order:
    age            = rng.integers(17, 22)                       (17 to 21 years)
    secondary      = round(rng.normal(380, 45)), clipped to [200, 500]
    higher_second. = round(0.5 * secondary + rng.normal(195, 40)), clipped to [200, 500]
    noise          = rng.normal(0, 20)
  and the applicant is admitted (1) when
    score = secondary + 0.5 * higher_secondary - 15 * (age - 18) + noise >= 580,
  otherwise not (0). (Marks are out of 500; `round` is NumPy's round-half-to-even.)
  The deck's four rows agree with this rule without noise (their scores are 561.5, 623.5,
  456 and 623).

`./kit build` writes the table to exercises/admissions.csv, and next to the 04_data notebook
whenever nbgrader runs (04_data declares it among its data files; see DATA_FILES in
graders/checks/data.py).
"""

from __future__ import annotations

import numpy as np

HEADER = "age,secondary_marks,higher_secondary_marks,admission"
DECK_ROWS: tuple[tuple[int, int, int, int], ...] = (
    (20, 356, 471, 0),
    (18, 421, 405, 1),
    (19, 321, 300, 0),
    (18, 423, 400, 1),
)
ADMISSIONS_SEED = 2024
ADMISSIONS_ROWS = 240
PASS_SCORE = 580.0


def admission_score(age: float, secondary: float, higher_secondary: float) -> float:
    """The rule's score of an applicant before noise: admitted when score + noise >= 580."""
    return secondary + 0.5 * higher_secondary - 15.0 * (age - 18)


def admissions_rows() -> list[tuple[int, int, int, int]]:
    """Every row of admissions.csv: the deck's four, then the drawn applicants."""
    rng = np.random.default_rng(ADMISSIONS_SEED)
    rows = list(DECK_ROWS)
    while len(rows) < ADMISSIONS_ROWS:
        age = int(rng.integers(17, 22))
        secondary = int(np.clip(np.round(rng.normal(380.0, 45.0)), 200, 500))
        higher = int(np.clip(np.round(0.5 * secondary + rng.normal(195.0, 40.0)), 200, 500))
        noise = float(rng.normal(0.0, 20.0))
        admitted = int(admission_score(age, secondary, higher) + noise >= PASS_SCORE)
        rows.append((age, secondary, higher, admitted))
    return rows


def admissions_csv() -> str:
    """The text of admissions.csv: the header, then one line per row, "\\n" line ends."""
    lines = [HEADER] + [",".join(str(v) for v in row) for row in admissions_rows()]
    return "\n".join(lines) + "\n"
