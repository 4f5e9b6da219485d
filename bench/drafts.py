"""Draft rendering + proofreading speed: mean milliseconds per thank-you draft.

    python -m bench.drafts --n 1000
    thank-you (1 interviewer): mean=0.42 ms  p95=0.55 ms  first=35.1 ms (n=1000)

The first call (compiling the template, loading the word list) is reported apart and left out of
the mean and p95. A 3-person panel (three drafts and the near-identical check) is measured too.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from bot.domain import DraftKind, Tone
from bot.drafts import render_drafts
from bot.drafts.samples import sample_candidate, sample_interview


def bench_drafts(n: int = 1000) -> dict[str, float]:
    """Render and proofread one thank-you draft `n` times (and a 3-person panel `n // 10` times).

    Returns milliseconds: `first` (cold call), `mean` and `p95` per single-interviewer thank-you,
    and `panel_mean` per 3-interviewer thank-you set.
    """
    n = max(1, n)
    candidate = sample_candidate()
    panel = sample_interview()
    single = replace(panel, interviewers=panel.interviewers[:1])
    start = time.perf_counter()
    render_drafts(DraftKind.THANK_YOU, single, candidate, Tone.FORMAL, tz="Europe/Berlin")
    first = (time.perf_counter() - start) * 1000
    times: list[float] = []
    for i in range(n):
        tone = Tone.FORMAL if i % 2 == 0 else Tone.CASUAL
        start = time.perf_counter()
        drafts = render_drafts(DraftKind.THANK_YOU, single, candidate, tone, tz="Europe/Berlin")
        times.append((time.perf_counter() - start) * 1000)
        assert drafts and not drafts[0].problems, drafts[0].problems
    panel_times: list[float] = []
    for _ in range(max(1, n // 10)):
        start = time.perf_counter()
        render_drafts(DraftKind.THANK_YOU, panel, candidate, Tone.FORMAL, tz="Europe/Berlin")
        panel_times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "n": float(n),
        "first": first,
        "mean": statistics.fmean(times),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "panel_mean": statistics.fmean(panel_times),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.drafts", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="how many drafts to render (default 1000)")
    args = parser.parse_args(argv)
    r = bench_drafts(args.n)
    print(
        f"thank-you (1 interviewer): mean={r['mean']:.2f} ms  p95={r['p95']:.2f} ms  "
        f"first={r['first']:.1f} ms (n={int(r['n'])})\n"
        f"thank-you (3-person panel, 3 drafts): mean={r['panel_mean']:.2f} ms"
    )


if __name__ == "__main__":
    main()
