#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small schema check of Chrome trace-event JSON (the format Perfetto and
chrome://tracing import: an object with a traceEvents array), as
scripts/iomtrace --perfetto writes it: metadata naming the tracks, instant
events, counters. Exits 1 with the first problem found."""
import json
import numbers
import sys

PHASES = {"M", "i", "I", "C", "X", "B", "E"}


def fail(i, ev, why):
    print("trace_event_check: event %d %s: %s" % (i, json.dumps(ev)[:200], why))
    sys.exit(1)


def main(path):
    with open(path) as f:
        doc = json.load(f)
    events = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(events, list) or not events:
        print("trace_event_check: no traceEvents array")
        return 1
    tracks, kinds = set(), {}
    for i, ev in enumerate(events):
        if not isinstance(ev, dict):
            fail(i, ev, "not an object")
        ph = ev.get("ph")
        if ph not in PHASES:
            fail(i, ev, "unknown phase %r" % ph)
        if not isinstance(ev.get("name"), str) or not ev["name"]:
            fail(i, ev, "no name")
        for k in ("pid", "tid"):
            if not isinstance(ev.get(k), int):
                fail(i, ev, "%s is not an integer" % k)
        kinds[ph] = kinds.get(ph, 0) + 1
        if ph == "M":
            if ev["name"] not in ("process_name", "thread_name", "process_sort_index",
                                  "thread_sort_index"):
                fail(i, ev, "unknown metadata")
            if not isinstance(ev.get("args", {}).get("name", ""), str):
                fail(i, ev, "metadata name is not a string")
            if ev["name"] == "thread_name":
                tracks.add(ev["args"]["name"])
            continue
        ts = ev.get("ts")
        if not isinstance(ts, numbers.Real) or isinstance(ts, bool) or ts < 0:
            fail(i, ev, "ts is not a non-negative number")
        if ph in ("i", "I") and ev.get("s", "t") not in ("g", "p", "t"):
            fail(i, ev, "instant scope not g, p or t")
        if ph == "C":
            args = ev.get("args")
            if not isinstance(args, dict) or not args or not all(
                    isinstance(v, numbers.Real) for v in args.values()):
                fail(i, ev, "counter without numeric args")
        if "args" in ev and not isinstance(ev["args"], dict):
            fail(i, ev, "args is not an object")
    if not any(t.startswith("cpu") for t in tracks) or len(tracks) < 2:
        print("trace_event_check: tracks %s: want a track per CPU and per device" % sorted(tracks))
        return 1
    print("trace_event_check: %d events ok (%s), tracks: %s" % (
        len(events), ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
        " ".join(sorted(tracks))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
