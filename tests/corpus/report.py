"""Print the corpus's kill rate and false-rejection rate per assignment:
`./kit python tests/corpus/report.py [-v] [TEXT]`; with TEXT, only the variants whose
"assignment function: name" contains it are graded (to try one while writing it)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.grading import corpus, grade_corpus, rates


def main() -> int:
    texts = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    entries = [e for e in corpus() if any(text in f"{e[1]} {e[2].function}: {e[2].name}" for text in texts)]
    if texts and not entries:
        print(f"no variant matches {texts}", file=sys.stderr)
        return 2
    outcomes = grade_corpus(entries=entries if texts else None)
    if "-v" in sys.argv:
        for outcome in outcomes:
            print(outcome.describe())
        print()
    print(
        f"{'assignment':20} {'mutants':>8} {'killed':>8} {'kill rate':>10} {'alternates':>11} {'rejected':>9} {'false rej.':>10}"
    )
    total = {"mutants": 0, "killed": 0, "alternates": 0, "rejected": 0}
    for assignment, row in sorted(rates(outcomes).items()):
        for key in total:
            total[key] += row[key]
        print(_line(assignment, row))
    print(_line("all", total))
    return 0 if all(o.ok for o in outcomes) else 1


def _line(name, row):
    kill = row["killed"] / row["mutants"] if row["mutants"] else 1.0
    false = row["rejected"] / row["alternates"] if row["alternates"] else 0.0
    return (
        f"{name:20} {row['mutants']:>8} {row['killed']:>8} {kill:>10.1%} {row['alternates']:>11} "
        f"{row['rejected']:>9} {false:>10.1%}"
    )


if __name__ == "__main__":
    sys.exit(main())
