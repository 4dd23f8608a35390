"""Host-side helpers shared by the tests and the benchmarks of the lab."""
