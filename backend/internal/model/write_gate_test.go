package model

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestWriteGateIsFIFO: transactions queued at the gate go through one at a
// time, in the order they arrived.
func TestWriteGateIsFIFO(t *testing.T) {
	g := &writeGate{}
	queued := make(chan struct{})
	g.queued = func() { queued <- struct{}{} }
	ctx := context.Background()
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	inside := 0
	var wg sync.WaitGroup
	const n = 16
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := g.enter(ctx); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			inside++
			if inside > 1 {
				t.Errorf("%d callers inside at once", inside)
			}
			order = append(order, i)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			inside--
			mu.Unlock()
			g.leave()
		}()
		<-queued // i is in the queue before i+1 arrives
	}
	g.leave()
	wg.Wait()
	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if g.held || len(g.queue) != 0 {
		t.Errorf("gate left held %v with %d queued", g.held, len(g.queue))
	}
}

// TestWriteGateCancel: a caller that gives up while queued leaves the queue
// without taking a turn; the ones behind it still get theirs.
func TestWriteGateCancel(t *testing.T) {
	g := &writeGate{}
	queued := make(chan struct{}, 2)
	g.queued = func() { queued <- struct{}{} }
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { gaveUp <- g.enter(ctx) }()
	<-queued
	entered := make(chan error)
	go func() { entered <- g.enter(context.Background()) }()
	<-queued
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	g.leave()
	if err := <-entered; err != nil {
		t.Fatal(err)
	}
	g.leave()
	if g.held || len(g.queue) != 0 {
		t.Errorf("gate left held %v with %d queued", g.held, len(g.queue))
	}
}
