"""Prints bench/out/report.json (written by bench/load.py) figure by figure,
each with the command that produced it, and draws bench/out/report.png.

    .venv/bin/python bench/report.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
REPORT = OUT / "report.json"
CHART = OUT / "report.png"
LAYERS = ("gunicorn", "nginx", "haproxy")


def print_throughput(section: dict) -> None:
    print(f"\n== Throughput and latency ({section['measured_at']}, {section['duration_s']} s per measurement)")
    print(f"   {section['note']}")
    print(f"   {'path':18} {'conn':>4}  " + "  ".join(f"{layer:>28}" for layer in LAYERS)
          + "   nginx/gunicorn haproxy/gunicorn")
    for row in section["rows"]:
        cells = []
        for layer in LAYERS:
            m = row[layer]
            bad = m["socket_errors"] + m["non_2xx_3xx"]
            cells.append(f"{m['rps']:8.0f}/s {m['p50_ms']:6.1f}/{m['p99_ms']:6.1f} ms e{bad:<3}")
        print(f"   {row['path']:18} {row['connections']:>4}  " + "  ".join(f"{c:>28}" for c in cells)
              + f"   {row['rps_ratio_nginx']:>14.2f} {row['rps_ratio_haproxy']:>16.2f}")
    print("   (req/s, p50/p99 latency, e = socket errors + non-2xx/3xx answers)")
    example = section["rows"][0]["gunicorn"]["command"]
    print(f"   command, e.g.: {example}")


def print_faults(name: str, section: dict) -> None:
    keys = ("requests", "failed", "by_status", "by_server", "reloads", "reload_seconds_max",
            "haproxy_marked_down_after_s", "last_answer_from_it_after_stop_s",
            "haproxy_marked_up_after_start_s", "first_answer_from_it_after_start_s",
            "haproxy_retries", "haproxy_redispatches", "whole_after_s", "master_before",
            "master_after", "halt_seconds", "vagrant_up_seconds", "p50_ms", "p99_ms")
    print(f"   [{name}] {section['command']}")
    print("      " + ", ".join(f"{k}={section[k]}" for k in keys if section.get(k) is not None))
    for failure in section.get("failures", [])[:5]:
        print(f"      failure at +{failure['t']} s: HTTP {failure['status']} {failure['error']}")


def main() -> int:
    if not REPORT.is_file():
        print(f"no {REPORT}: run bench/load.py first", file=sys.stderr)
        return 1
    report = json.loads(REPORT.read_text())
    if "throughput" in report:
        print_throughput(report["throughput"])
    titles = {"reload": "Zero-downtime reloads", "failover": "Failover: Nginx stopped",
              "halt": "Failover: machine halted", "crash": "Crash recovery (kill -9)"}
    for key, title in titles.items():
        if key in report:
            section = report[key]
            print(f"\n== {title} ({section['measured_at']}; run: {section['run']})")
            subs = {k: v for k, v in section.items() if isinstance(v, dict) and "command" in v}
            if subs:
                for name, sub in subs.items():
                    print_faults(name, sub)
            else:
                print_faults(key, section)
    if "fuzz" in report:
        f = report["fuzz"]
        print(f"\n== API fuzzing ({f['measured_at']})\n   {f['command']}")
        print(f"   exit {f['exit_code']}; {f['operations']} operations, {f['operations_failed']} failed; "
              f"{f['test_cases']} test cases in {f['seconds']} s")
    if "reboot" in report:
        r = report["reboot"]
        print(f"\n== Restart safety ({r['measured_at']}; run: {r['run']})\n   {r['command']}")
        print(f"   machines back after {r['machines_back_after_s']} s; serving through the load balancer: "
              f"{r['serving_through_lb']} after {r['serving_after_s']} s; State written before kept: "
              f"{r['state_kept']}" + (f"; lab suite: {r['suite_summary']} (exit {r['suite_exit']})"
                                      if "suite_exit" in r else ""))
    draw(report)
    print(f"\nchart: {CHART.relative_to(Path.cwd()) if CHART.is_relative_to(Path.cwd()) else CHART}")
    return 0


def draw(report: dict) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(17, 5.5))
    rows = report.get("throughput", {}).get("rows", [])
    labels = [f"{r['path']} c={r['connections']}" for r in rows]
    width = 0.27
    for i, layer in enumerate(LAYERS):
        xs = [x + (i - 1) * width for x in range(len(rows))]
        axes[0].bar(xs, [r[layer]["rps"] for r in rows], width, label=layer)
        axes[1].bar(xs, [r[layer]["p99_ms"] for r in rows], width, label=layer)
    for ax, title, unit in ((axes[0], "Throughput", "requests/s"), (axes[1], "p99 latency", "ms")):
        ax.set_title(f"{title} by layer (wrk inside {report.get('throughput', {}).get('vantage', '?')})")
        ax.set_ylabel(unit)
        ax.set_xticks(range(len(rows)), labels, fontsize=7, rotation=45, ha="right")
        ax.set_yscale("log")
        ax.legend()

    names, failed, totals = [], [], []
    for key in ("reload", "failover", "halt", "crash"):
        section = report.get(key)
        if not section:
            continue
        subs = {k: v for k, v in section.items() if isinstance(v, dict) and "failed" in v} or {key: section}
        for name, sub in subs.items():
            names.append(f"{key} {name}" if name != key else key)
            failed.append(sub["failed"])
            totals.append(sub["requests"])
    bars = axes[2].bar(range(len(names)), failed, color="tab:red")
    for bar, total, bad in zip(bars, totals, failed):
        axes[2].annotate(f"{bad}/{total}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                         ha="center", va="bottom", fontsize=8)
    axes[2].set_xticks(range(len(names)), names, fontsize=7, rotation=30, ha="right")
    axes[2].set_ylim(0, max(failed + [1]) * 1.3)
    axes[2].set_title("Failed requests / requests under faults (target 0)")
    fig.tight_layout()
    fig.savefig(CHART, dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
