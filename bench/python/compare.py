#!/usr/bin/env python3
"""Time per article: Gleaner against the Python tools a user would otherwise combine.

Measures, on one CPU core and on the same article (the French seed seeds/article-fr-diplomatie.txt,
which the Gleaner example embeds), the median wall time of one analysis by:

  * spaCy 3.8 with fr_core_news_sm, named entities: the leanest pipeline that gives entities
    (the model's NER has its own tok2vec, so every other component is excluded) and, for
    reference, the model's default pipeline as `spacy.load` gives it;
  * sumy 0.13 LexRank, extractive summary of as many sentences as Gleaner returns by default (3),
    parsing included (PlaintextParser over the data-free tokenizer of tools/sumy_baseline.py,
    since NLTK's punkt data cannot be downloaded here);
  * dateparser's `search.search_dates`, dates found in the text and resolved against the
    publication date, with the language given (French) so that no detection is paid;
  * Gleaner, through its release example target/release/examples/analyze_seed, which analyses the
    same seed article N times with every default feature (summary, quotes, parties, dates).
    Start-up (process, lexicons, models) is removed by timing the example with 1 and with M runs:
    per article = (t(M) - t(1)) / (M - 1), with the median of several timings of each.

Each Python tool is warmed up, then called N times (by default as many times as fit in about
--seconds seconds); the median wall and CPU time of a call and articles/s (1 / median wall time)
are printed (CPU time, which other processes on the machine disturb less, is the process's own,
from time.process_time and, for Gleaner, the child's rusage), then the sum for
spaCy NER + LexRank + dateparser (what a Python user pays for entities, summary and dates) and its
ratio to Gleaner. The process pins itself (and so the Gleaner runs it starts) to one core with
os.sched_setaffinity; it writes nothing in the repository.

Usage (see run.sh, which installs requirements.txt in a virtual environment outside the repo):

    python bench/python/compare.py [--runs N] [--seconds S] [--cpu C] [--gleaner-bin PATH]
"""

import argparse
import datetime
import importlib.metadata
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "article-fr-diplomatie.txt"
GLEANER_BIN = ROOT / "target" / "release" / "examples" / "analyze_seed"
# The publication date that examples/analyze_seed.rs gives the seed article.
PUBLISHED = datetime.datetime(2021, 12, 8)
# Gleaner's default number of summary sentences (Options::default().max_summary_sentences).
SUMMARY_SENTENCES = 3
# Components of fr_core_news_sm that named entities do not need (its `ner` embeds its own tok2vec).
NOT_NER = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]

# Importing the shared tokenizer must not leave a __pycache__ in tools/.
sys.dont_write_bytecode = True
sys.path.insert(0, str(ROOT / "tools"))


def spacy_tool(exclude):
    import spacy

    nlp = spacy.load("fr_core_news_sm", exclude=exclude)

    def run(text):
        return len(nlp(text).ents)

    return run


def lexrank_tool():
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words
    from sumy_baseline import DataFreeTokenizer

    tokenizer = DataFreeTokenizer("french")
    summarizer = LexRankSummarizer(Stemmer("french"))
    summarizer.stop_words = get_stop_words("french")

    def run(text):
        document = PlaintextParser.from_string(text, tokenizer).document
        return len(summarizer(document, SUMMARY_SENTENCES))

    return run


def dateparser_tool():
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": PUBLISHED}

    def run(text):
        return len(search_dates(text, languages=["fr"], settings=settings) or [])

    return run


def time_calls(run, text, runs, seconds):
    """Median (wall, CPU) seconds per call after a warm-up: `runs` calls, or as many as fit in
    `seconds`; also the calls made, the first call's wall time and its result."""
    start = time.perf_counter()
    found = run(text)
    first = time.perf_counter() - start
    for _ in range(2):
        run(text)
    if runs is None:
        start = time.perf_counter()
        run(text)
        one = time.perf_counter() - start
        runs = max(5, int(seconds / max(one, 1e-9)))
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run(text)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return (statistics.median(wall), statistics.median(cpu)), runs, first, found


def time_process(argv, repeats):
    """Median (wall, CPU) seconds of `repeats` runs of a command, and its standard output."""
    wall, cpu, out = [], [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        with child.stdout:
            out = child.stdout.read().strip()
        # Reaped here rather than by Popen, to get the child's own resource usage.
        _, status, usage = os.wait4(child.pid, 0)
        wall.append(time.perf_counter() - start)
        cpu.append(usage.ru_utime + usage.ru_stime)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed with status {child.returncode}")
    return (statistics.median(wall), statistics.median(cpu)), out


def time_gleaner(binary, seconds, repeats):
    """Per-article (wall, CPU) seconds with start-up removed, the analyses per timed run, the
    start-up's (wall, CPU) seconds and the example's report."""
    start_up, _ = time_process([str(binary), "1"], repeats)
    probe, _ = time_process([str(binary), "1000"], 1)
    per_article = max(probe[0] - start_up[0], 1e-9) / 999
    many = max(1000, int(seconds / repeats / per_article))
    total, report = time_process([str(binary), str(many)], repeats)
    per = tuple((t - s) / (many - 1) for t, s in zip(total, start_up))
    return per, many, start_up, report


def version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def line(name, times, detail):
    wall, cpu = times
    print(f"{name:<34} {wall * 1e3:>9.3f} {cpu * 1e3:>9.3f} {1 / wall:>11.1f}   {detail}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, help="timed calls per Python tool (default: fit --seconds)")
    ap.add_argument("--seconds", type=float, default=5.0, help="target time per tool (default 5)")
    ap.add_argument("--cpu", type=int, default=1, help="core to pin to (default 1; -1: no pinning)")
    ap.add_argument("--gleaner-bin", type=Path, default=GLEANER_BIN, help="analyze_seed example")
    ap.add_argument("--repeats", type=int, default=5, help="timings of each Gleaner run (default 5)")
    args = ap.parse_args()

    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})
    text = SEED.read_text(encoding="utf-8")
    load_before = os.getloadavg()
    print(f"article: {SEED.name}, {len(text.encode())} bytes; cores: {sorted(os.sched_getaffinity(0))}")
    print(
        f"python {sys.version.split()[0]}, spacy {version('spacy')}, "
        f"fr_core_news_sm {version('fr_core_news_sm')}, sumy {version('sumy')}, "
        f"nltk {version('nltk')}, dateparser {version('dateparser')}"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"\n{'median per article':<34} {'wall ms':>9} {'CPU ms':>9} {'articles/s':>11}   (calls, set-up, first call, output)")

    tools = [
        ("spaCy fr_core_news_sm, NER only", lambda: spacy_tool(NOT_NER), "entities"),
        ("sumy LexRank (parse + summary)", lexrank_tool, "sentences"),
        ("dateparser search_dates", dateparser_tool, "dates"),
        ("spaCy fr_core_news_sm, default", lambda: spacy_tool([]), "entities"),
    ]
    medians = {}
    for name, make, unit in tools:
        start = time.perf_counter()
        run = make()
        setup = time.perf_counter() - start
        median, runs, first, found = time_calls(run, text, args.runs, args.seconds)
        medians[name] = median
        line(name, median, f"{runs} calls, load {setup:.2f} s, first {first * 1e3:.0f} ms, {found} {unit}")

    combined = tuple(sum(medians[name][i] for name, _, _ in tools[:3]) for i in range(2))
    line("Python: NER + LexRank + dates", combined, "sum of the three medians above")

    if not args.gleaner_bin.exists():
        sys.exit(f"{args.gleaner_bin} not found: cargo build --release --example analyze_seed")
    gleaner, many, start_up, report = time_gleaner(args.gleaner_bin, args.seconds, args.repeats)
    line("Gleaner (all features)", gleaner, f"{many} runs/process, start-up {start_up[0] * 1e3:.0f} ms; {report}")

    load_after = os.getloadavg()
    print(
        f"\nratio Python (NER + LexRank + dates) / Gleaner: {combined[0] / gleaner[0]:.0f}x wall, "
        f"{combined[1] / gleaner[1]:.0f}x CPU"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")


if __name__ == "__main__":
    main()
