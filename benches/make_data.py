#!/usr/bin/env python3
"""Builds the benchmark inputs from the real conversation corpus, deterministically.

Reads ../shared/corpora/mrda-train.jsonl (ICSI Meeting Recorder Dialog Act corpus, MRDA training split;
Shriberg et al., 2004; CC BY 4.0 — keep this attribution wherever the data is used) and writes to
target/bench-data/:

  transcript-5k.json, transcript-50k.json, transcript-500k.json
      native transcripts of about 5 KB, 50 KB and 500 KB of text; in each meeting the most talkative
      speaker is the candidate and everyone else an interviewer; meetings are laid end to end in time.
  corpus.jsonl, corpus-10x.jsonl (not with --no-corpus, which the test suite uses)
      one native transcript per line (every meeting split into ~5 KB interviews), and ten times as many
      lines, for the streaming batch benchmark.
  rubric-200.yaml, rubric-500.yaml
      rubrics of 200 and 500 behaviors whose phrases are frequent word n-grams of the corpus, so they
      match real text at a realistic rate; every fourth behavior also has a regex detector.
  patterns-200.json, patterns-500.json
      the same phrases and regexes as flat lists, for the raw single-pass baseline and the peers.
"""

import collections
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("RUBRIC_CORPUS", os.path.join(ROOT, "..", "shared", "corpora", "mrda-train.jsonl"))
OUT = os.path.join(ROOT, "target", "bench-data")

ATTRIBUTION = (
    "Text from the ICSI Meeting Recorder Dialog Act corpus (MRDA), training split; "
    "Shriberg et al., 2004; CC BY 4.0."
)


def meetings():
    with open(CORPUS, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def clean(text):
    # The corpus marks interruptions with "==" and "--"; they are kept as spoken text otherwise.
    return re.sub(r"\s+", " ", text.replace("==", " ")).strip()


def meeting_turns(meeting, offset):
    words = collections.Counter()
    for s in meeting["segments"]:
        words[s["speaker"]] += len(s["text"].split())
    candidate = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    turns = []
    for s in meeting["segments"]:
        text = clean(s["text"])
        if not text:
            continue
        start = round(offset + s["start"], 3)
        end = round(max(offset + s["end"], start), 3)
        if turns and start < turns[-1]["start"]:
            start = turns[-1]["start"]
            end = max(end, start)
        role = "candidate" if s["speaker"] == candidate else "interviewer"
        turns.append({"speaker": meeting["meeting"] + ":" + s["speaker"], "role": role,
                      "start": start, "end": end, "text": text})
    return turns


def transcript_of_size(all_meetings, target_bytes, name):
    turns, size, offset = [], 0, 0.0
    for meeting in all_meetings:
        for turn in meeting_turns(meeting, offset):
            turns.append(turn)
            size += len(turn["text"].encode("utf-8"))
            if size >= target_bytes:
                return {"id": name, "title": ATTRIBUTION, "turns": turns}
        offset = turns[-1]["end"] + 5.0
    return {"id": name, "title": ATTRIBUTION, "turns": turns}


def interviews(all_meetings, size=5000):
    """Every meeting split into consecutive pieces of about `size` bytes of text."""
    for meeting in all_meetings:
        turns = meeting_turns(meeting, 0.0)
        piece, used, index = [], 0, 0
        for turn in turns:
            piece.append(turn)
            used += len(turn["text"])
            if used >= size:
                yield {"id": f"{meeting['meeting']}-{index}", "turns": rebase(piece)}
                piece, used, index = [], 0, index + 1
        if piece and any(t["role"] == "candidate" for t in piece):
            yield {"id": f"{meeting['meeting']}-{index}", "turns": rebase(piece)}


def rebase(turns):
    origin = turns[0]["start"]
    return [dict(t, start=round(t["start"] - origin, 3), end=round(t["end"] - origin, 3)) for t in turns]


STOP = set("a an the and or but so to of in on at it is was i you we they he she uh um yeah okay oh "
           "that this be do does did have has had are were with for not no yes just like".split())


def frequent_ngrams(all_meetings, n, limit):
    counts = collections.Counter()
    for meeting in all_meetings[:20]:
        for s in meeting["segments"]:
            words = [w for w in re.findall(r"[a-z']+", s["text"]) if "'" not in w]
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if all(w in STOP for w in gram) or len(" ".join(gram)) < 6:
                    continue
                counts[" ".join(gram)] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [g for g, _ in ranked[:limit]]


def rubric(behaviors, phrases, words):
    """A rubric of `behaviors` behaviors: 4 phrases each, a regex on every fourth."""
    lines = [
        f"id: bench-{behaviors}",
        'version: "1"',
        f"title: Generated benchmark rubric ({behaviors} behaviors)",
        "scale:",
        "  levels:",
        "    - { level: 1, label: Low, from: 0, to: 0.5 }",
        "    - { level: 2, label: High, from: 0.5, to: 1 }",
        "competencies:",
    ]
    flat_phrases, flat_regexes = [], []
    per_sub, per_comp = 5, 4
    b = 0
    for c in range(behaviors // (per_sub * per_comp)):
        lines += [f"  - id: c{c}", f"    title: Competency {c}", "    subcompetencies:"]
        for s in range(per_comp):
            lines += [f"      - id: c{c}s{s}", f"        title: Sub {c}.{s}", "        behaviors:"]
            for _ in range(per_sub):
                mine = phrases[4 * b:4 * b + 4]
                flat_phrases.append(mine)
                lines += [f"          - id: b{b}", f"            title: Behavior {b}",
                          f"            feedback: Do behavior {b}.",
                          "            scoring: { mode: count, target: 3 }",
                          "            detectors:",
                          "              - phrases: [" + ", ".join(json.dumps(p) for p in mine) + "]"]
                if b % 4 == 0:
                    w1, w2 = words[(b // 4) % len(words)], words[(b // 4 + 7) % len(words)]
                    regex = rf"\b(?:{w1}|{w2}) (?:of|in|to) the \w+"
                    flat_regexes.append(regex)
                    lines.append("              - regex: '" + regex + "'")
                else:
                    flat_regexes.append(None)
                b += 1
    return "\n".join(lines) + "\n", {"phrases": flat_phrases, "regexes": flat_regexes}


def main():
    if not os.path.exists(CORPUS):
        sys.exit(f"corpus not found: {CORPUS} (set RUBRIC_CORPUS)")
    os.makedirs(OUT, exist_ok=True)
    all_meetings = list(meetings())
    for label, size in [("5k", 5_000), ("50k", 50_000), ("500k", 500_000)]:
        doc = transcript_of_size(all_meetings, size, f"mrda-{label}")
        with open(os.path.join(OUT, f"transcript-{label}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
    pieces = list(interviews(all_meetings))
    if "--no-corpus" not in sys.argv:
        with open(os.path.join(OUT, "corpus.jsonl"), "w", encoding="utf-8") as f:
            for piece in pieces:
                f.write(json.dumps(piece, ensure_ascii=False) + "\n")
        with open(os.path.join(OUT, "corpus-10x.jsonl"), "w", encoding="utf-8") as f:
            for copy in range(10):
                for piece in pieces:
                    f.write(json.dumps(dict(piece, id=f"{piece['id']}-{copy}"), ensure_ascii=False) + "\n")
    grams = frequent_ngrams(all_meetings, 2, 1400) + frequent_ngrams(all_meetings, 3, 1000)
    seen, phrases = set(), []
    for g in grams:
        if g not in seen:
            seen.add(g)
            phrases.append(g)
    words = [w for w in frequent_ngrams(all_meetings, 1, 400) if w.isalpha() and len(w) > 3]
    for behaviors in (200, 500):
        yaml, patterns = rubric(behaviors, phrases, words)
        with open(os.path.join(OUT, f"rubric-{behaviors}.yaml"), "w", encoding="utf-8") as f:
            f.write(yaml)
        with open(os.path.join(OUT, f"patterns-{behaviors}.json"), "w", encoding="utf-8") as f:
            json.dump(patterns, f)
    corpus = "no corpus files" if "--no-corpus" in sys.argv else f"{len(pieces)} corpus interviews (and a 10x copy)"
    print(f"wrote {OUT}: 3 transcripts, {corpus}, rubrics of 200 and 500 behaviors")


if __name__ == "__main__":
    main()
