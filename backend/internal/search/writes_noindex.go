//go:build flicket_bench_noindex

package search

// indexWrites: this build's write path leaves the search index alone, for
// make bench's write-overhead comparison only (see writes.go).
const indexWrites = false
