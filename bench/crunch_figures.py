"""The deadline crunch's printed figures: throughput and percentiles of the LO requests and the public pages."""

import statistics

from bench.crunch_sessions import Observations


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return max(values, default=0.0)
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def latency_lines(seen: Observations, lo_seconds: float, public: dict[str, int]) -> list[str]:
    """Throughput and p95/p99 of the LO requests (in all and by kind) and of the public pages."""
    everything = [s for _k, s in seen.requests]
    lines = [
        f"LO requests: {len(everything):,} in {lo_seconds:.0f} s = {len(everything) / lo_seconds:.0f} req/s; "
        f"p95 {percentile(everything, 95) * 1000:.0f} ms, p99 {percentile(everything, 99) * 1000:.0f} ms"
    ]
    for kind in sorted({k for k, _s in seen.requests}):
        values = [s for k, s in seen.requests if k == kind]
        lines.append(
            f"  {kind:<18} {len(values):6,}  p95 {percentile(values, 95) * 1000:6.0f} ms  "
            f"p99 {percentile(values, 99) * 1000:6.0f} ms  max {max(values) * 1000:6.0f} ms"
        )
    duration = public["duration_us"] / 1e6
    lines.append(
        f"public pages: {public['requests']:,} in {duration:.0f} s = {public['requests'] / duration:.0f} req/s; "
        f"p50 {public['p50_us'] / 1000:.0f} ms, p95 {public['p95_us'] / 1000:.0f} ms, "
        f"p99 {public['p99_us'] / 1000:.0f} ms, max {public['max_us'] / 1000:.0f} ms"
    )
    total = max(public["requests"], 1)
    lines.append(
        f"public split: {public['answered']:,} answered ({100 * public['answered'] / total:.1f} %), "
        f"{public['shed']:,} shed with 503 ({100 * public['shed'] / total:.1f} %), "
        f"{public['timeout']:,} timeouts (must be 0)"
    )
    return lines
