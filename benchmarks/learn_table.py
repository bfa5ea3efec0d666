"""The side-by-side table the ndflow.learn benchmarks print (ndflow vs scikit-learn)."""
from __future__ import annotations


def print_table(rows: list) -> None:
    """Prints ``(name, ((ndflow_seconds, ndflow_score), (sklearn_seconds, sklearn_score)) | None, note)`` rows."""
    header = f"{'workload':<52}{'ndflow s':>10}{'sklearn s':>11}{'ratio':>8}{'ndflow score':>14}{'sklearn score':>15}"
    print(header)
    print("-" * len(header))
    for name, row, note in rows:
        if row is None:
            print(f"{name:<52}{'skipped: ' + note}")
            continue
        (t_ours, s_ours), (t_theirs, s_theirs) = row
        line = (f"{name:<52}{t_ours:>10.3f}{t_theirs:>11.3f}{t_ours / t_theirs:>8.2f}"
                f"{s_ours:>14.3f}{s_theirs:>15.3f}")
        print(line + (f"   ({note})" if note else ""))
