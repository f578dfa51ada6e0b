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
    per article = (median t(M) - median t(1)) / (M - 1).

Each Python tool is loaded, called once and warmed up; then, in R rounds over all the tools (so
that a change of load on the shared machine falls on all of them alike), each Python tool is called
N / R times (N by default as many calls as fit in about --seconds seconds) and the Gleaner example
is timed once with 1 and once with M analyses. The median wall and CPU time of a call and
articles/s (1 / median wall time) are printed (CPU time, which other processes on the machine
disturb less, is the process's own, from time.process_time and, for Gleaner, the child's rusage),
then the sum for spaCy NER + LexRank + dateparser (what a Python user pays for entities, summary
and dates) and its ratio to Gleaner. The process pins itself (and so the Gleaner runs it starts) to one core with
os.sched_setaffinity; it writes nothing in the repository.

Usage (see run.sh, which installs requirements.txt in a virtual environment outside the repo):

    python bench/python/compare.py [--runs N] [--seconds S] [--rounds R] [--cpu C] [--gleaner-bin PATH]
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


class Timings:
    """Wall and CPU seconds of repeated measurements of one thing."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def median(self):
        return statistics.median(self.wall), statistics.median(self.cpu)


class PythonTool:
    """One Python tool: loaded, called once, warmed up, then timed a few calls per round."""

    def __init__(self, name, make, unit, text):
        self.name, self.text, self.timings = name, text, Timings()
        start = time.perf_counter()
        self.run = make()
        self.load = time.perf_counter() - start
        start = time.perf_counter()
        self.found = f"{self.run(text)} {unit}"
        self.first = time.perf_counter() - start
        for _ in range(2):
            self.run(text)
        start = time.perf_counter()
        self.run(text)
        self.one = time.perf_counter() - start
        self.calls = 0

    def time_round(self, calls):
        for _ in range(calls):
            start, start_cpu = time.perf_counter(), time.process_time()
            self.run(self.text)
            self.timings.cpu.append(time.process_time() - start_cpu)
            self.timings.wall.append(time.perf_counter() - start)
        self.calls += calls

    def detail(self):
        return f"{self.calls} calls, load {self.load:.2f} s, first {self.first * 1e3:.0f} ms, {self.found}"


def time_process(argv, timings):
    """Runs a command once, adding its wall and CPU seconds to `timings`; returns its output."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    with child.stdout:
        out = child.stdout.read().strip()
    # Reaped here rather than by Popen, to get the child's own resource usage.
    _, status, usage = os.wait4(child.pid, 0)
    timings.wall.append(time.perf_counter() - start)
    timings.cpu.append(usage.ru_utime + usage.ru_stime)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed with status {child.returncode}")
    return out


class Gleaner:
    """The analyze_seed example, timed with 1 and with `many` analyses per process each round."""

    def __init__(self, binary, seconds_per_round):
        self.binary = str(binary)
        self.start_up, self.total = Timings(), Timings()
        time_process([self.binary, "1"], self.start_up)
        probe = Timings()
        time_process([self.binary, "1000"], probe)
        per_article = max(probe.wall[0] - self.start_up.wall[0], 1e-9) / 999
        self.many = max(1000, int(seconds_per_round / per_article))
        self.report = ""

    def time_round(self):
        time_process([self.binary, "1"], self.start_up)
        self.report = time_process([self.binary, str(self.many)], self.total)

    def per_article(self):
        """Median (wall, CPU) seconds per analysis, start-up removed."""
        return tuple((t - s) / (self.many - 1) for t, s in zip(self.total.median(), self.start_up.median()))

    def detail(self):
        return f"{self.many} runs/process, start-up {self.start_up.median()[0] * 1e3:.0f} ms; {self.report}"


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
    ap.add_argument("--rounds", type=int, default=5, help="rounds over all the tools (default 5)")
    ap.add_argument("--cpu", type=int, default=1, help="core to pin to (default 1; -1: no pinning)")
    ap.add_argument("--gleaner-bin", type=Path, default=GLEANER_BIN, help="analyze_seed example")
    args = ap.parse_args()
    if not args.gleaner_bin.exists():
        sys.exit(f"{args.gleaner_bin} not found: cargo build --release --example analyze_seed")

    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})
    text = SEED.read_text(encoding="utf-8")
    print(f"article: {SEED.name}, {len(text.encode())} bytes; cores: {sorted(os.sched_getaffinity(0))}")
    print(
        f"python {sys.version.split()[0]}, spacy {version('spacy')}, "
        f"fr_core_news_sm {version('fr_core_news_sm')}, sumy {version('sumy')}, "
        f"nltk {version('nltk')}, dateparser {version('dateparser')}"
    )
    tools = [
        PythonTool("spaCy fr_core_news_sm, NER only", lambda: spacy_tool(NOT_NER), "entities", text),
        PythonTool("sumy LexRank (parse + summary)", lexrank_tool, "sentences", text),
        PythonTool("dateparser search_dates", dateparser_tool, "dates", text),
        PythonTool("spaCy fr_core_news_sm, default", lambda: spacy_tool([]), "entities", text),
    ]
    gleaner = Gleaner(args.gleaner_bin, args.seconds / args.rounds)

    # Rounds over all the tools, so that a change of load on the machine falls on all of them.
    load_before = os.getloadavg()
    for _ in range(args.rounds):
        for tool in tools:
            calls = args.runs or int(args.seconds / max(tool.one, 1e-9))
            tool.time_round(max(1, -(-calls // args.rounds)))
        gleaner.time_round()
    load_after = os.getloadavg()

    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    print(
        f"\n{'median per article':<34} {'wall ms':>9} {'CPU ms':>9} {'articles/s':>11}"
        "   (calls, set-up, first call, output)"
    )
    for tool in tools:
        line(tool.name, tool.timings.median(), tool.detail())
    combined = tuple(sum(tool.timings.median()[i] for tool in tools[:3]) for i in range(2))
    line("Python: NER + LexRank + dates", combined, "sum of the three medians above")
    per_article = gleaner.per_article()
    line("Gleaner (all features)", per_article, gleaner.detail())
    print(
        f"\nratio Python (NER + LexRank + dates) / Gleaner: {combined[0] / per_article[0]:.0f}x wall, "
        f"{combined[1] / per_article[1]:.0f}x CPU"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")


if __name__ == "__main__":
    main()
