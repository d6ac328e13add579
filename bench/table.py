#!/usr/bin/env python3
"""Prints bench/run's results (a TSV file) as one Markdown table.

Each input line: measure, articles, ours, unit, other_label, other, goal, note (tab-separated;
empty fields allowed). The ratio is ours / other when both are numbers.
"""
import sys


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def fmt(v, unit):
    x = num(v)
    if x is None:
        return v or "—"
    if unit == "req/s":
        return f"{x:,.0f} req/s"
    if unit == "ms":
        return f"{x:.2f} ms" if x < 100 else f"{x:,.0f} ms"
    if unit == "s":
        return f"{x:.2f} s" if x < 10 else f"{x:,.1f} s"
    if unit == "MB":
        return f"{x / 1024:.2f} GB" if x >= 10240 else (f"{x:.1f} MB" if x < 10 else f"{x:,.0f} MB")
    if unit == "count":
        return f"{x:,.0f}"
    return f"{x:g} {unit}".strip()


def main():
    path = sys.argv[1]
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            parts = (line.split("\t") + [""] * 8)[:8]
            rows.append(parts)
    print("| measure | articles | ZeroOpposite | compared with | ratio (ours / other) | goal | note |")
    print("|---|---:|---:|---:|---:|---|---|")
    for measure, n, ours, unit, olabel, other, goal, note in rows:
        nn = num(n)
        n_s = f"{nn:,.0f}" if nn is not None else (n or "")
        a, b = num(ours), num(other)
        ratio = f"{a / b:.2f}" if a is not None and b not in (None, 0.0) else ""
        cmp = ""
        if olabel or other:
            cmp = f"{olabel}: {fmt(other, unit)}" if olabel else fmt(other, unit)
        print(f"| {measure} | {n_s} | {fmt(ours, unit)} | {cmp} | {ratio} | {goal} | {note} |")


if __name__ == "__main__":
    main()
