#!/usr/bin/env python3
"""Scores the sumy 0.13 summarisers (TextRank, LexRank) and Lead-k on a summary evaluation file.

Usage (sumy lives in a virtual environment outside the repository):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install 'sumy==0.13.*'
    /tmp/venv/bin/python tools/sumy_baseline.py ../shared/eval/summary/bbc_en.jsonl [--limit N]

Scoring follows /work/shared/eval/FORMAT.md: ROUGE-1/2/L F1 over lower-cased `\\w+` tokens (accents
kept), averaged over articles; k is the number of reference sentences (`summary_sentences`), or 2 for
abstractive references (`summary`).

sumy's default tokenizer needs NLTK's pretrained Punkt model ("punkt_tab"), which cannot be downloaded
on this machine. We therefore give sumy a tokenizer built from NLTK parts that need no data: an
untrained Punkt sentence splitter (the same algorithm, with a short list of common abbreviations in place
of the learned ones) and NLTK's Treebank word tokenizer (what `nltk.word_tokenize` runs after sentence
splitting), keeping only the tokens sumy keeps (its own `_WORD_PATTERN`). Stemmers (NLTK Snowball) and
stop words (shipped with sumy) are sumy's own. Lines are passed through sumy's PlaintextParser as a user
would; with `--skip-title` the first line (the BBC title) is removed first, so that no summariser can
pick the title.
"""

import argparse
import json
import re
from collections import Counter

from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer as SumyTokenizer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

LANGUAGES = {"en": "english", "fr": "french"}

# Abbreviations (lower case, without the final period) that Punkt's pretrained models know and an
# untrained splitter does not.
ABBREVIATIONS = {
    "english": "mr mrs ms dr prof st jr sr gen col lt sgt rev gov sen rep co corp inc ltd jan feb "
    "mar apr jun jul aug sep sept oct nov dec no vs e.g i.e al u.s u.k u.n",
    "french": "m mm mme mlle dr pr st ste me mgr gén col cdt lt av bd etc cf p ex janv févr avr juil "
    "sept oct nov déc",
}


class DataFreeTokenizer:
    """The two methods of sumy's Tokenizer, built from NLTK parts that need no downloaded data."""

    def __init__(self, language):
        self.language = language
        params = PunktParameters()
        params.abbrev_types = set(ABBREVIATIONS[language].split())
        self._sentences = PunktSentenceTokenizer(params)
        self._words = NLTKWordTokenizer()

    def to_sentences(self, paragraph):
        return tuple(s.strip() for s in self._sentences.tokenize(paragraph))

    def to_words(self, sentence):
        words = self._words.tokenize(sentence)
        return tuple(w for w in words if SumyTokenizer._is_word(w))


WORD = re.compile(r"\w+")


def tokens(text):
    return WORD.findall(text.lower())


def ngrams(toks, n):
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def f1(overlap, n_pred, n_ref):
    if overlap == 0 or n_pred == 0 or n_ref == 0:
        return 0.0
    p, r = overlap / n_pred, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(pred, ref, n):
    a, b = ngrams(pred, n), ngrams(ref, n)
    return f1(sum((a & b).values()), sum(a.values()), sum(b.values()))


def rouge_l(pred, ref):
    if not pred or not ref:
        return 0.0
    prev = [0] * (len(ref) + 1)
    for x in pred:
        cur = [0] * (len(ref) + 1)
        for j, y in enumerate(ref):
            cur[j + 1] = prev[j] + 1 if x == y else max(cur[j], prev[j + 1])
        prev = cur
    return f1(prev[-1], len(pred), len(ref))


def scores(pred_text, ref_text):
    p, r = tokens(pred_text), tokens(ref_text)
    return (rouge_n(p, r, 1), rouge_n(p, r, 2), rouge_l(p, r))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--skip-title", action="store_true", help="drop the first line of the text")
    args = ap.parse_args()
    totals = {"Lead-k": [0.0] * 3, "sumy TextRank": [0.0] * 3, "sumy LexRank": [0.0] * 3}
    n = 0
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            if args.limit is not None and n >= args.limit:
                break
            rec = json.loads(line)
            language = LANGUAGES[rec["lang"]]
            text = rec["text"]
            if args.skip_title:
                text = text.split("\n", 1)[1] if "\n" in text else text
            if "summary_sentences" in rec:
                ref = " ".join(s["text"] for s in rec["summary_sentences"])
                k = len(rec["summary_sentences"])
            else:
                ref, k = rec["summary"], 2
            tokenizer = DataFreeTokenizer(language)
            parser = PlaintextParser.from_string(text, tokenizer)
            sentences = [str(s) for s in parser.document.sentences]
            body = sentences[1:] if "summary_sentences" in rec and not args.skip_title else sentences
            preds = {"Lead-k": " ".join(body[:k])}
            for name, cls in (("sumy TextRank", TextRankSummarizer), ("sumy LexRank", LexRankSummarizer)):
                summarizer = cls(Stemmer(language))
                summarizer.stop_words = get_stop_words(language)
                preds[name] = " ".join(str(s) for s in summarizer(parser.document, k))
            for name, pred in preds.items():
                for i, v in enumerate(scores(pred, ref)):
                    totals[name][i] += v
            n += 1
    print(f"{args.data}: {n} articles")
    print(f"{'system':<15} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}")
    for name, t in totals.items():
        print(f"{name:<15} " + " ".join(f"{100 * v / max(n, 1):>8.1f}" for v in t))


if __name__ == "__main__":
    main()
