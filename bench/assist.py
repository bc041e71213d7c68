"""Assist: accuracy on a generated 20,000-ticket history, training time and memory on 100,000 tickets, and
the time to score one new ticket.

    .venv/bin/python bench/assist.py [--train 100000] [--accuracy 20000]
"""

import argparse
import os
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from assist import training  # noqa: E402
from assist.generator import generate  # noqa: E402

TARGETS = ("queue", "priority", "product")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accuracy", type=int, default=20000)
    parser.add_argument("--train", type=int, default=100000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    rows = generate(args.accuracy, seed=11, noise=0.15)
    _bundle, report = training.train(rows, targets=TARGETS, min_per_class=200)
    print(f"Accuracy on {args.accuracy} tickets (15 % of queues and priorities mislabelled), last month held out:")
    for target in TARGETS:
        result = report["targets"][target]
        print(f"  {target:9} accuracy {result['accuracy']:.3f}  majority baseline {result['baseline']:.3f}  "
              f"({result['held_out']} held out)")

    rows = generate(args.train, seed=12, noise=0.15)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    bundle, report = training.train(rows, targets=TARGETS, min_per_class=200)
    seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"Training on {args.train} tickets: {seconds:.1f} s, peak RSS {peak_mib:.0f} MiB "
          f"(was {before / 1024:.0f} MiB before)")

    new = generate(200, seed=99)
    timings = []
    for row in new:
        started = time.perf_counter()
        vec = bundle["vectorizer"].transform([row["text"]])
        training.predict(bundle, row["text"], vec)
        training.nearest(bundle, training._normalised(vec))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"Scoring one ticket (3 targets + 5 nearest of {bundle['matrix'].shape[0]}): median "
          f"{statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95)]:.1f} ms")


if __name__ == "__main__":
    main()
