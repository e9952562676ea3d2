#!/usr/bin/env python3
"""The peer comparison of issue 5, in one run on one machine (run by scripts/bench-peers.sh).

1. Our Python binding (`Rubric.score`, full scoring from the transcript dict) against the raw
   matching of Python `re`, pyahocorasick, hyperscan and spaCy's PhraseMatcher, on the generated
   rubrics and corpus transcripts of benches/make_data.py. Every peer first computes the same
   mention set the engine reports — (behavior, turn, start, end), word-bounded, per behavior merged
   leftmost-then-longest, see benches/peers/mentions.py — and its agreement with our scorecard's
   evidence is printed BEFORE anything is timed.
2. `score_many` on the ~5 KB corpus interviews with threads=1 against threads=2.
3. The Node build of crates/rubric-wasm against native Rust (benches/examples/profile.rs `time`).

The peers get the easiest job: they match candidate turns only, already folded (lower case, no
apostrophes, white space collapsed, by `mentions.fold`, untimed), already encoded to bytes
(hyperscan) or tokenised (spaCy, its tokenisation timed separately), and their offsets are not
mapped back to the original text inside the timed part. Our time is everything a user waits for:
the dict in, a Scorecard (all behaviors, scores, explanations, feedback, metrics) out.

Medians of --reps repetitions after one untimed warm-up run. Writes a markdown report (--out).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from mentions import (
    Mention,
    Patterns,
    candidate_turns,
    describe_differences,
    engine_mentions,
    fold,
    fold_phrase,
    merge,
    original_range,
    word_bounded,
)

ROOT = Path(__file__).resolve().parents[2]
# (behavior, folded start, folded end) of one turn: what every peer produces per turn.
TurnHits = List[Tuple[int, int, int]]


# rubric_core::PHRASE_DFA_AFTER_BYTES: a rubric builds its phrase DFA once it has scanned this much
# text, and scans with its phrase NFA before.
PHRASE_DFA_AFTER_BYTES = 1 << 20


def warm_up(ours: Any, data: Path, sizes: List[str]) -> None:
    """Scores the largest transcript until `ours` has built its phrase DFA, so that its times are
    the steady state, as native Rust's (`profile time` warms up the same way): twice the threshold
    of original text, since it counts folded text, which is shorter."""
    transcript = json.loads((data / f"transcript-{sizes[-1]}.json").read_text(encoding="utf-8"))
    per_call = max(1, sum(len(turn["text"].encode("utf-8")) for turn in transcript["turns"]))
    for _ in range(2 * PHRASE_DFA_AFTER_BYTES // per_call + 2):
        ours.score(transcript)


def median_seconds(run: Callable[[], Any], reps: int) -> float:
    """Median wall time of `run` over `reps` calls, after one untimed warm-up call."""
    run()
    gc.collect()
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def distinct_phrases(patterns: Patterns) -> Tuple[List[str], List[List[int]]]:
    """The distinct folded phrases and, for each, the behaviors that list it."""
    index: Dict[str, int] = {}
    owners: List[List[int]] = []
    for behavior, phrases in enumerate(patterns.phrases):
        for phrase in phrases:
            folded = fold_phrase(phrase)
            if not folded:
                continue
            if folded not in index:
                index[folded] = len(owners)
                owners.append([])
            if behavior not in owners[index[folded]]:
                owners[index[folded]].append(behavior)
    return list(index), owners


def regex_hits(regexes: Sequence[Tuple[int, "re.Pattern[str]"]], text: str) -> TurnHits:
    """Each regex's own non-overlapping leftmost-first matches, as the engine runs them."""
    return [(behavior, *m.span()) for behavior, regex in regexes for m in regex.finditer(text)]


def merged(hits: Iterable[Tuple[int, int, int]]) -> TurnHits:
    """Per-behavior leftmost-longest merge of one turn's hits (the engine's overlap rule)."""
    per_behavior: Dict[int, List[Tuple[int, int]]] = defaultdict(list)
    for behavior, start, end in hits:
        per_behavior[behavior].append((start, end))
    return [(b, s, e) for b, spans in per_behavior.items() for s, e in merge(spans)]


class Peer:
    """One peer: built once per rubric; `raw` is its own matching over the prepared turns, and
    `mentions` turns that raw output into the engine's mention set (folded offsets per turn)."""

    name = ""
    covers = ""
    """What `raw` matches: phrases only, or phrases and regexes."""

    def version(self) -> str:
        raise NotImplementedError

    def build(self, patterns: Patterns) -> None:
        raise NotImplementedError

    def prepare(self, texts: List[str]) -> Any:
        return texts

    def raw(self, prepared: Any) -> Any:
        raise NotImplementedError

    def mentions(self, prepared: Any, raw: Any, texts: List[str]) -> List[TurnHits]:
        raise NotImplementedError

    def regexes_of(self, patterns: Patterns) -> List[Tuple[int, "re.Pattern[str]"]]:
        return [(b, r) for b, r in enumerate(patterns.compiled_regexes()) if r is not None]


def trie_regex(phrases: Iterable[str]) -> str:
    """One alternation of all phrases, factored as a trie (`you(?: know(?: what)?)?`) so that `re`
    tries each prefix once: much faster than a flat list of 800 branches, and, being greedy, it
    prefers the longest phrase at each start and backtracks to shorter ones."""
    trie: Dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for c in phrase:
            node = node.setdefault(c, {})
        node[""] = {}

    def pattern(node: Dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


class PythonRe(Peer):
    """Python `re`: ONE alternation of all phrases, word-bounded by lookarounds, inside a
    lookahead so that `finditer` stops at every start where some phrase ends on a boundary (the
    longest such phrase is the group; shorter phrases that also match there are exactly its
    prefixes that end on a word boundary, listed when building). Each behavior's regex runs on its
    own (`finditer`), as in the engine: one alternation of all regexes would let a match of one
    behavior hide an overlapping match of another."""

    name = "Python re"
    covers = "phrases + regexes"

    def version(self) -> str:
        return f"re (CPython {platform.python_version()})"

    def build(self, patterns: Patterns) -> None:
        phrases, self.owners = distinct_phrases(patterns)
        self.index = {p: i for i, p in enumerate(phrases)}
        # Not a letter or digit before, and after: `[^\W_]` is str.isalnum().
        self.finder = re.compile(r"(?<![^\W_])(?=(" + trie_regex(phrases) + r")(?![^\W_]))")
        self.same_start: Dict[str, List[Tuple[int, int]]] = {}
        for phrase in phrases:
            self.same_start[phrase] = [
                (self.index[q], len(q))
                for q in phrases
                if phrase.startswith(q) and (len(q) == len(phrase) or not phrase[len(q)].isalnum())
            ]
        self.regexes = self.regexes_of(patterns)

    def raw(self, prepared: List[str]) -> Any:
        return [
            ([(m.start(), m.group(1)) for m in self.finder.finditer(text)], regex_hits(self.regexes, text))
            for text in prepared
        ]

    def mentions(self, prepared: Any, raw: Any, texts: List[str]) -> List[TurnHits]:
        out = []
        for starts, regex in raw:
            hits = list(regex)
            for start, longest in starts:
                for phrase, length in self.same_start[longest]:
                    hits.extend((b, start, start + length) for b in self.owners[phrase])
            out.append(merged(hits))
        return out


class PyAhoCorasick(Peer):
    """pyahocorasick: one automaton of all phrases; `iter` reports every occurrence, overlapping
    and inside words, so the boundaries are checked in Python afterwards. It has no regexes: the
    regex detectors run on Python `re` (in the "equal mentions" time, not in "raw")."""

    name = "pyahocorasick"
    covers = "phrases"

    def version(self) -> str:
        from importlib.metadata import version

        return f"pyahocorasick {version('pyahocorasick')}"

    def build(self, patterns: Patterns) -> None:
        import ahocorasick

        phrases, owners = distinct_phrases(patterns)
        self.automaton = ahocorasick.Automaton()
        for phrase, mine in zip(phrases, owners):
            self.automaton.add_word(phrase, (len(phrase), tuple(mine)))
        self.automaton.make_automaton()
        self.regexes = self.regexes_of(patterns)

    def raw(self, prepared: List[str]) -> Any:
        return [list(self.automaton.iter(text)) for text in prepared]

    def mentions(self, prepared: Any, raw: Any, texts: List[str]) -> List[TurnHits]:
        out = []
        for text, found in zip(texts, raw):
            hits = regex_hits(self.regexes, text)
            for last, (length, owners) in found:
                start, end = last + 1 - length, last + 1
                if word_bounded(text, start, end):
                    hits.extend((b, start, end) for b in owners)
            out.append(merged(hits))
        return out


class Hyperscan(Peer):
    """hyperscan: one block-mode database of every phrase (as an escaped literal) and every
    regex, HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST, one scan per turn. It reports every match
    (phrases inside words too; a regex at every end position, with its leftmost start), so
    boundaries are checked in Python and each regex's matches are reduced to leftmost-longest
    non-overlapping ones — the same as the engine's leftmost-first for these regexes, whose
    alternatives are whole words and which end in a greedy `\\w+`. Offsets are bytes: mapped to
    code points for non-ASCII turns."""

    name = "hyperscan"
    covers = "phrases + regexes"

    def version(self) -> str:
        from importlib.metadata import version

        return f"hyperscan {version('hyperscan')}"

    def build(self, patterns: Patterns) -> None:
        import hyperscan

        phrases, self.owners = distinct_phrases(patterns)
        self.lengths = [len(p.encode("utf-8")) for p in phrases]
        expressions = [
            "".join(chr(b) if chr(b).isalnum() and b < 128 else f"\\x{b:02x}" for b in p.encode("utf-8"))
            for p in phrases
        ]
        self.regex_owner = {}
        for behavior, regex in enumerate(patterns.regexes):
            if regex is not None:
                self.regex_owner[len(expressions)] = behavior
                expressions.append(regex)
        self.database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self.database.compile(
            expressions=[e.encode("utf-8") for e in expressions],
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST,
        )

    def prepare(self, texts: List[str]) -> Any:
        return [t.encode("utf-8") for t in texts]

    def raw(self, prepared: List[bytes]) -> Any:
        def on_match(pattern: int, start: int, end: int, flags: int, found: List[Tuple[int, int, int]]) -> None:
            found.append((pattern, start, end))

        out = []
        for data in prepared:
            found: List[Tuple[int, int, int]] = []
            self.database.scan(data, match_event_handler=on_match, context=found)
            out.append(found)
        return out

    def mentions(self, prepared: Any, raw: Any, texts: List[str]) -> List[TurnHits]:
        out = []
        phrases = len(self.owners)
        for text, data, found in zip(texts, prepared, raw):
            to_char = None if len(data) == len(text) else byte_to_char(text)
            hits: List[Tuple[int, int, int]] = []
            regex: Dict[int, List[Tuple[int, int]]] = defaultdict(list)
            for pattern, start, end in found:
                if to_char is not None:
                    start, end = to_char[start], to_char[end]
                if pattern < phrases:
                    if word_bounded(text, start, end):
                        hits.extend((b, start, end) for b in self.owners[pattern])
                else:
                    regex[self.regex_owner[pattern]].append((start, end))
            for behavior, spans in regex.items():
                hits.extend((behavior, s, e) for s, e in merge(spans))
            out.append(merged(hits))
        return out


def byte_to_char(text: str) -> Dict[int, int]:
    """UTF-8 byte offset -> code point offset, at every code point boundary and the end."""
    table, at = {}, 0
    for index, c in enumerate(text):
        table[at] = index
        at += len(c.encode("utf-8"))
    table[at] = len(text)
    return table


class SpacyPhraseMatcher(Peer):
    """spaCy's PhraseMatcher on the LOWER attribute over `spacy.blank("en")`'s tokenizer: token
    based, so word-bounded by construction, but only where spaCy's tokens end where the engine's
    words end (its tokenizer splits "cannot" into "can not", keeps "u.s" and "a_b" whole...): the
    agreement table shows what that costs on this text. Prepared = the turns as Docs (tokenised
    once, untimed in "raw"; the tokenisation time is reported on its own). No regexes: those run
    on Python `re`, in the "equal mentions" time."""

    name = "spaCy PhraseMatcher"
    covers = "phrases"

    def version(self) -> str:
        import spacy

        return f"spaCy {spacy.__version__} (blank en, attr LOWER)"

    def build(self, patterns: Patterns) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("en")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        phrases, owners = distinct_phrases(patterns)
        self.owners: Dict[int, List[int]] = {}
        for index, (phrase, mine) in enumerate(zip(phrases, owners)):
            key = f"p{index}"
            self.matcher.add(key, [self.nlp.make_doc(phrase)])
            self.owners[self.nlp.vocab.strings[key]] = mine
        self.regexes = self.regexes_of(patterns)

    def prepare(self, texts: List[str]) -> Any:
        return [self.nlp.make_doc(t) for t in texts]

    def raw(self, prepared: List[Any]) -> Any:
        return [self.matcher(doc) for doc in prepared]

    def mentions(self, prepared: Any, raw: Any, texts: List[str]) -> List[TurnHits]:
        out = []
        for text, doc, found in zip(texts, prepared, raw):
            hits = regex_hits(self.regexes, text)
            for key, first, stop in found:
                start = doc[first].idx
                last = doc[stop - 1]
                hits.extend((b, start, last.idx + len(last)) for b in self.owners[key])
            out.append(merged(hits))
        return out


PEERS: List[Callable[[], Peer]] = [PythonRe, PyAhoCorasick, Hyperscan, SpacyPhraseMatcher]


def available_peers(report: List[str]) -> List[Peer]:
    """The peers whose packages import here; the others are named with the reason."""
    peers = []
    for make in PEERS:
        peer = make()
        try:
            peer.version()
            if isinstance(peer, PyAhoCorasick):
                import ahocorasick  # noqa: F401
            elif isinstance(peer, Hyperscan):
                import hyperscan  # noqa: F401
            elif isinstance(peer, SpacyPhraseMatcher):
                import spacy  # noqa: F401
        except Exception as e:  # any import failure means "not installed here", with its reason
            report.append(f"- **{peer.name}: NOT RUN** — it could not be imported here: `{type(e).__name__}: {e}`")
            print(f"compare: {peer.name} is not available: {e}", file=sys.stderr)
            continue
        peers.append(peer)
    return peers


def to_mentions(hits_per_turn: List[TurnHits], turns: List[Tuple[int, str, str, List[int]]]) -> Set[Mention]:
    """Folded per-turn hits -> mentions in the original text (code points)."""
    out: Set[Mention] = set()
    for (turn, _, _, origin), hits in zip(turns, hits_per_turn):
        for behavior, start, end in hits:
            out.add((behavior, turn, *original_range(origin, start, end)))
    return out


def equal_mentions(peer: Peer, prepared: Any, texts: List[str]) -> List[TurnHits]:
    """The peer's raw matching and what turns it into the engine's mentions: the "equal" time."""
    return peer.mentions(prepared, peer.raw(prepared), texts)


def interleaved_medians(runs: Dict[str, Callable[[], Any]], reps: int) -> Dict[str, float]:
    """Median wall time of each run over `reps` rounds; every round runs each of them once, in
    turn, so that a burst of load from other jobs on the machine hits all of them alike. One
    untimed warm-up call each first."""
    for run in runs.values():
        run()
    gc.collect()
    times: Dict[str, List[float]] = {name: [] for name in runs}
    for _ in range(reps):
        for name, run in runs.items():
            began = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(spans) for name, spans in times.items()}


def compare_peers(args: argparse.Namespace, report: List[str]) -> None:
    import rubric

    data = Path(args.data)
    report.append("## Our Python binding against peers\n")
    peers = available_peers(report)
    report.append("")
    for peer in peers:
        report.append(f"- {peer.name}: {peer.version()}; raw matching covers {peer.covers}")
    report.append(f"- ours: rubric-py {getattr(rubric, '__version__', '?')} (release wheel), `Rubric.score(dict)`")
    agreement = [
        "### Agreement, checked before timing\n",
        "Mentions (behavior, turn, start, end) in code points of the original text; ours from the scorecard's "
        "evidence. Examples show the first mention only one side reports.\n",
        "| behaviors | text | peer | ours | peer | equal | only ours | only peer | example only ours | example only peer |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    timing = [
        f"### Timing (median of {args.reps} interleaved rounds after a warm-up)\n",
        "Ratios are the peer's time over ours: above 1, ours (full scoring) is faster than the peer.\n",
        "| behaviors | text | peer | peer raw matching | peer, to equal mentions | ours, full scoring "
        "| ours vs raw | ours vs equal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    native_rows = [
        "### Ours: the Python binding against native Rust\n",
        "`Rubric.score(dict)` also writes the dict as JSON text for the engine and wraps the scorecard it returns; "
        "native = `profile time` (benches/examples/profile.rs) right after, median of as many calls.\n",
        "| behaviors | text | Python `Rubric.score(dict)` | native parse + score | native score only | Python / native |",
        "|---|---|---|---|---|---|",
    ]
    builds = ["### Building (once per rubric)\n", "| behaviors | what | time |", "|---|---|---|"]
    prep_rows = [
        "### Preparing the peers' input (not in the times above)\n",
        "| behaviors | text | what | time |",
        "|---|---|---|---|",
    ]
    for behaviors in args.behaviors:
        patterns = Patterns.load(data / f"patterns-{behaviors}.json")
        yaml = (data / f"rubric-{behaviors}.yaml").read_text(encoding="utf-8")
        ours = rubric.Rubric.from_yaml(yaml)
        warm_up(ours, data, args.sizes)
        compile_time = median_seconds(lambda: rubric.Rubric.from_yaml(yaml), 3)
        builds.append(f"| {behaviors} | ours: `Rubric.from_yaml` (median of 3) | {fmt_time(compile_time)} |")
        for peer in peers:
            began = time.perf_counter()
            peer.build(patterns)
            builds.append(f"| {behaviors} | {peer.name} | {fmt_time(time.perf_counter() - began)} |")
        for size in args.sizes:
            transcript = json.loads((data / f"transcript-{size}.json").read_text(encoding="utf-8"))
            turns = [(turn, text, *fold(text)) for turn, text in candidate_turns(transcript)]
            texts = [folded for _, _, folded, _ in turns]
            fold_time = median_seconds(lambda: [fold(t) for _, t in candidate_turns(transcript)], 3)
            prep_rows.append(
                f"| {behaviors} | {size} | fold the candidate turns ({len(turns)} of {len(transcript['turns'])}) "
                f"| {fmt_time(fold_time)} |"
            )
            expected = engine_mentions(ours.score(transcript).to_dict())
            print(f"compare: {behaviors} behaviors, {size}: ours {len(expected)} mentions", file=sys.stderr)

            # 1. Agreement, before any timing.
            runs: Dict[str, Callable[[], Any]] = {"ours": lambda: ours.score(transcript)}
            for peer in peers:
                prepared = peer.prepare(texts)
                if isinstance(peer, SpacyPhraseMatcher):
                    tokenise = median_seconds(lambda: peer.prepare(texts), 3)
                    prep_rows.append(
                        f"| {behaviors} | {size} | spaCy tokenisation (`make_doc`) | {fmt_time(tokenise)} |"
                    )
                found = to_mentions(peer.mentions(prepared, peer.raw(prepared), texts), turns)
                diff = describe_differences(expected, found)
                agreement.append(
                    f"| {behaviors} | {size} | {peer.name} | {len(expected)} | {len(found)} | {diff['equal']} "
                    f"| {diff['only_ours']} | {diff['only_theirs']} | {example(diff['examples_only_ours'], transcript)} "
                    f"| {example(diff['examples_only_theirs'], transcript)} |"
                )
                print(
                    f"compare:   {peer.name}: {len(found)} mentions, {diff['only_ours']} only ours, "
                    f"{diff['only_theirs']} only theirs",
                    file=sys.stderr,
                )
                runs[f"{peer.name} raw"] = functools.partial(peer.raw, prepared)
                runs[f"{peer.name} equal"] = functools.partial(equal_mentions, peer, prepared, texts)

            # 2. Timing: ours and every peer in the same rounds.
            medians = interleaved_medians(runs, args.reps)
            ours_time = medians["ours"]
            for peer in peers:
                raw_time, equal_time = medians[f"{peer.name} raw"], medians[f"{peer.name} equal"]
                timing.append(
                    f"| {behaviors} | {size} | {peer.name} | {fmt_time(raw_time)} | {fmt_time(equal_time)} "
                    f"| {fmt_time(ours_time)} | **{fmt_ratio(raw_time / ours_time)}** | {fmt_ratio(equal_time / ours_time)} |"
                )
            print(f"compare:   timed: ours {fmt_time(ours_time)}", file=sys.stderr)
            if Path(args.native).is_file():
                native = run_json([args.native, "time", str(behaviors), size, str(args.reps)])
                both, alone = native["parse_and_score_us"] / 1e6, native["score_us"] / 1e6
                native_rows.append(
                    f"| {behaviors} | {size} | {fmt_time(ours_time)} | {fmt_time(both)} | {fmt_time(alone)} "
                    f"| {fmt_ratio(ours_time / both)} |"
                )
    if not Path(args.native).is_file():
        native_rows.append(f"| | | not run: {args.native} is missing | | | |")
    report += ["", *agreement, "", *timing, "", *native_rows, "", *builds, "", *prep_rows, ""]


def example(mentions: List[Mention], transcript: Dict[str, Any]) -> str:
    if not mentions:
        return ""
    behavior, turn, start, end = mentions[0]
    text = transcript["turns"][turn]["text"]
    context = text[max(0, start - 12) : end + 12].replace("|", "/")
    return f"b{behavior} t{turn} `{text[start:end]}` in “…{context}…”"


def batch_scaling(args: argparse.Namespace, report: List[str]) -> None:
    import rubric

    data = Path(args.data)
    corpus = [json.loads(line) for line in (data / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line]
    yaml = (data / f"rubric-{args.batch_behaviors}.yaml").read_text(encoding="utf-8")
    ours = rubric.Rubric.from_yaml(yaml)
    size = sum(len(t["text"].encode("utf-8")) for doc in corpus for t in doc["turns"])
    one = ours.score_many(corpus, threads=1)
    two = ours.score_many(corpus, threads=2)
    same = one.ok and two.ok and len(one) == len(corpus) and list(one) == list(two)
    times: Dict[int, List[float]] = {1: [], 2: []}
    load_before = load_average()
    for _ in range(args.batch_reps):  # Interleaved, so a burst of load from elsewhere hits both.
        for threads in (1, 2):
            began = time.perf_counter()
            ours.score_many(corpus, threads=threads)
            times[threads].append(time.perf_counter() - began)
    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    capacity = cpu_capacity()
    native_rows = []
    if Path(args.native).is_file():
        native = run_json([args.native, "batch", str(args.batch_behaviors), "corpus", str(args.batch_reps)])
        n1, n2 = native["threads_1_us"] / 1e6, native["threads_2_us"] / 1e6
        native_rows = [
            f"| native Rust, 1 thread (`profile batch`) | {fmt_time(n1)} | {fmt_time(n1 / native['transcripts'])} | |",
            f"| native Rust, 2 threads | {fmt_time(n2)} | {fmt_time(n2 / native['transcripts'])} | |",
            f"| native speed-up | {fmt_ratio(n1 / n2)} | | |",
        ]
    report += [
        "## `score_many`: 1 against 2 threads\n",
        f"{len(corpus)} corpus interviews ({size / 1e6:.2f} MB of text), the {args.batch_behaviors}-behavior rubric, "
        f"median of {args.batch_reps} interleaved runs each; results of both equal and error-free: **{same}**. "
        f"Load average before: {load_before}; after: {load_average()}; {os.cpu_count()} cores. "
        f"Control, right after: a fixed pure-Python loop in 2 processes at once got **{fmt_ratio(capacity)}** the throughput "
        "of 1 process (2.00x on an idle 2-core machine), so that is roughly the most any 2-thread speed-up could show in this run.\n",
        "| threads | median | per interview | runs |",
        "|---|---|---|---|",
        f"| 1 | {fmt_time(t1)} | {fmt_time(t1 / len(corpus))} | {', '.join(fmt_time(t) for t in times[1])} |",
        f"| 2 | {fmt_time(t2)} | {fmt_time(t2 / len(corpus))} | {', '.join(fmt_time(t) for t in times[2])} |",
        f"| **speed-up** | **{fmt_ratio(t1 / t2)}** | | |",
        *native_rows,
        "",
    ]
    print(f"compare: score_many 1 thread {fmt_time(t1)}, 2 threads {fmt_time(t2)}, {t1 / t2:.2f}x", file=sys.stderr)


def spin(_: int) -> float:
    """A fixed amount of pure-Python work; returns its own wall time."""
    began = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i & 7
    return time.perf_counter() - began


def cpu_capacity() -> float:
    """How many cores' worth of work the machine gives 2 processes right now: the work of 2 spins
    done at once against 1 spin alone (median of 3 each)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(spin, [0, 0])
        alone, together = [], []
        for _ in range(3):
            began = time.perf_counter()
            pool.map(spin, [0])
            alone.append(time.perf_counter() - began)
            began = time.perf_counter()
            pool.map(spin, [0, 1], chunksize=1)
            together.append(time.perf_counter() - began)
    return 2 * statistics.median(alone) / statistics.median(together)


def wasm_against_native(args: argparse.Namespace, report: List[str]) -> None:
    data = Path(args.data)
    rubric_path = data / f"rubric-{args.wasm_behaviors}.yaml"
    transcript_path = data / f"transcript-{args.wasm_size}.json"
    report.append(
        f"## Node/wasm against native (the {args.wasm_size} transcript, {args.wasm_behaviors}-behavior rubric)\n"
    )
    problems = []
    if not Path(args.wasm_pkg, "rubric_wasm.js").is_file():
        problems.append(f"the Node build is missing ({args.wasm_pkg}/rubric_wasm.js)")
    if not Path(args.native).is_file():
        problems.append(f"the native timing binary is missing ({args.native})")
    if problems:
        report.append("**NOT RUN**: " + "; ".join(problems) + ".\n")
        return
    node = run_json(
        [
            "node",
            str(Path(__file__).with_name("wasm_time.mjs")),
            args.wasm_pkg,
            str(rubric_path),
            str(transcript_path),
            str(args.wasm_reps),
            str(args.wasm_warmup),
        ]
    )
    native = run_json([args.native, "time", str(args.wasm_behaviors), args.wasm_size, str(args.wasm_reps)])
    import rubric

    card = rubric.Rubric.from_file(rubric_path).score(json.loads(transcript_path.read_text(encoding="utf-8"))).to_dict()
    expected = sorted(
        [int(b["id"][1:]), e["turn"], *e["span"]["bytes"]]
        for c in card["competencies"]
        for s in c["subcompetencies"]
        for b in s["behaviors"]
        for e in (*b["evidence"], *b["against"])
    )
    same = sorted(node["mentions"]) == expected
    wasm_s = node["median_ms"] / 1e3
    native_s, native_json_s = native["parse_and_score_us"] / 1e6, native["parse_score_and_json_us"] / 1e6
    report += [
        f"Median of {args.wasm_reps} calls each; Node first makes {node['warmup']} untimed calls (V8 optimises wasm only once it is hot), "
        "native one. Both parse the transcript's JSON text and score it; the wasm call also converts the scorecard into a "
        "JavaScript object, which the native row with JSON output compares with. "
        f"Same mentions in the wasm scorecard as in the Python one (byte spans): **{same}** ({len(node['mentions'])}).\n",
        "| build | median per call | wasm speed relative to it |",
        "|---|---|---|",
        f"| native Rust (`profile time`): parse + score | {fmt_time(native_s)} | **{fmt_ratio(native_s / wasm_s)}** |",
        f"| native Rust: parse + score + scorecard to JSON text | {fmt_time(native_json_s)} | {fmt_ratio(native_json_s / wasm_s)} |",
        f"| native Rust: score only (parsed transcript) | {fmt_time(native['score_us'] / 1e6)} | |",
        f"| wasm in Node {node['node']}: `rubric.score(jsonText)` | {fmt_time(wasm_s)} | |",
        "",
    ]
    print(f"compare: wasm {fmt_time(wasm_s)}, native {fmt_time(native_s)}, {native_s / wasm_s:.2f}x", file=sys.stderr)


def run_json(command: List[str]) -> Dict[str, Any]:
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: Dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / "target" / "bench-data"))
    parser.add_argument("--out", default=str(ROOT / "target" / "bench-results" / "peers.md"))
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--sizes", type=lambda s: s.split(","), default=["5k", "50k", "500k"])
    parser.add_argument("--behaviors", type=lambda s: [int(b) for b in s.split(",")], default=[200, 500])
    parser.add_argument("--batch-behaviors", type=int, default=200)
    parser.add_argument("--batch-reps", type=int, default=7)
    parser.add_argument("--wasm-pkg", default=str(ROOT / "crates" / "rubric-wasm" / "pkg" / "node"))
    parser.add_argument("--native", default=str(ROOT / "target" / "release" / "examples" / "profile"))
    parser.add_argument("--wasm-behaviors", type=int, default=200)
    parser.add_argument("--wasm-size", default="50k")
    parser.add_argument("--wasm-reps", type=int, default=21)
    parser.add_argument("--wasm-warmup", type=int, default=10)
    parser.add_argument("--skip", default="", help="comma-separated sections to skip: peers, batch, wasm")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    report = [
        "# Peer comparison and scaling (scripts/bench-peers.sh)\n",
        f"Run {datetime.datetime.now().isoformat(timespec='seconds')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average at the start {load_average()} "
        "(the machine is shared: other jobs may run during the measurement, so compare ratios from the same run).\n",
    ]
    if "peers" not in skip:
        compare_peers(args, report)
    if "batch" not in skip:
        batch_scaling(args, report)
    if "wasm" not in skip:
        wasm_against_native(args, report)
    report.append(f"Load average at the end: {load_average()}.\n")
    text = "\n".join(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
