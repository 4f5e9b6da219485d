"""`python -m bench <benchmark> [options]`: the project's benchmarks (`--help` lists them).

Each benchmark lives in a module of this package. A module with `add_arguments(parser)` and
`main(args) -> int` gets its options parsed here; one with only `main(argv)` gets the rest of the
command line. A module is imported only when its benchmark runs, so one that is broken or needs
something missing does not stop the others.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: str
    summary: str


BENCHMARKS = (
    Benchmark("dispatch", "bench.dispatch",
              "N dispatcher processes over M due reminders: delivered, duplicates, lost, rate"),
    Benchmark("dispatch-kill", "bench.dispatch_kill",
              "workers SIGKILLed mid-batch while delivering to a fake Discord: duplicates and lost DMs"),
    Benchmark("timeliness", "bench.timeliness",
              "delay from due time to delivery (p50/p99) for reminders spread over a minute"),
    Benchmark("apscheduler-compare", "bench.apscheduler_compare",
              "reminders table vs one APScheduler job per reminder: schedule time, start-up, memory"),
    Benchmark("memory", "bench.memory", "resident memory of a dispatcher with 1,000,000 pending reminders"),
    Benchmark("drafts", "bench.drafts", "draft rendering and proofreading speed"),
    Benchmark("proofreader", "bench.proofreader",
              "false positives on a careers vocabulary; catch rate on mistakes planted in drafts"),
    Benchmark("template-bombs", "bench.template_bombs",
              "each template bomb in a worker: the answer, its time, and a healthz-like tick meanwhile"),
    Benchmark("core", "bench.core", "the service's add and list with 100,000 interviews; console start-up"),
    Benchmark("side-by-side", "bench.side_by_side",
              "bench core's add and list, this checkout and another (an older commit) in turns"),
    Benchmark("slack-list", "bench.slack_list", "a signed /interview list over HTTP with 100,000 interviews"),
    Benchmark("slack-guard", "bench.slack_guard",
              "Slack: acknowledgement behind a held write lock, log of an unsigned flood, slow connections"),
    Benchmark("discord-list", "bench.discord_list",
              "INTERACTION_CREATE for /interview list to its callback, 100,000 interviews, fake Discord"),
    Benchmark("discord-burst", "bench.discord_burst",
              "5,000 reminder DMs due at once through a fake Discord limiting 50 requests/s"),
    Benchmark("career-center-stats", "bench.career_center_stats", "admin stats with 100,000 interviews"),
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Followthrough's benchmarks.")
    commands = parser.add_subparsers(dest="benchmark", metavar="<benchmark>")
    for bench in BENCHMARKS:
        commands.add_parser(bench.name, help=bench.summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {b.name: b for b in BENCHMARKS}
    if not argv or argv[0] not in known:
        parser = _parser()
        if argv and argv[0] not in ("-h", "--help"):
            parser.parse_args(argv[:1])  # an unknown name: usage and exit 2
        parser.print_help()
        print("\n`python -m bench <benchmark> --help` shows a benchmark's options.")
        return 0
    bench = known[argv[0]]
    module = importlib.import_module(bench.module)
    if callable(getattr(module, "add_arguments", None)):
        sub = argparse.ArgumentParser(prog=f"python -m bench {bench.name}", description=bench.summary)
        module.add_arguments(sub)
        return int(module.main(sub.parse_args(argv[1:])) or 0)
    if callable(getattr(module, "main", None)):
        return int(module.main(argv[1:]) or 0)
    print(module.bench_drafts())  # bench.drafts without a command line of its own
    return 0


if __name__ == "__main__":
    sys.exit(main())
