//go:build !flicket_bench_noindex

package search

// indexWrites is false only in the build make bench uses to measure what
// keeping the index costs writes (BENCH_WRITE_OVERHEAD=1, build tag
// flicket_bench_noindex): never in a real build, where search would miss
// what changed.
const indexWrites = true
