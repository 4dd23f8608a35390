-- bench/wrk_summary.lua: wrk's end-of-run figures as one JSON line (bench/load.py
-- reads it): requests, duration, latency percentiles, and every failure wrk counts
-- (socket errors: connect, read, write, timeout; "status": answers not 2xx/3xx).
-- No per-request callback, so wrk keeps its full speed.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
