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
	g := newWriteGate(1)
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
	if g.inside != 0 || len(g.queue) != 0 {
		t.Errorf("gate left with %d inside and %d queued", g.inside, len(g.queue))
	}
}

// TestWriteGateCancel: a caller that gives up while queued leaves the queue
// without taking a turn; the ones behind it still get theirs.
func TestWriteGateCancel(t *testing.T) {
	g := newWriteGate(1)
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
	if g.inside != 0 || len(g.queue) != 0 {
		t.Errorf("gate left with %d inside and %d queued", g.inside, len(g.queue))
	}
}

// TestWriteGateSlots: a gate of three lets three callers in at once, not a
// fourth; each place given back goes to the caller waiting longest.
func TestWriteGateSlots(t *testing.T) {
	g := newWriteGate(3)
	queued := make(chan struct{})
	g.queued = func() { queued <- struct{}{} }
	ctx := context.Background()
	for range 3 {
		if err := g.enter(ctx); err != nil {
			t.Fatal(err)
		}
	}
	enter := func() chan error {
		in := make(chan error, 1)
		go func() { in <- g.enter(ctx) }()
		<-queued
		return in
	}
	first, second := enter(), enter()
	waiting := func(name string, in chan error) {
		t.Helper()
		select {
		case err := <-in:
			t.Fatalf("%s got in (%v) with every place taken", name, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	waiting("the first caller", first)
	g.leave()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	waiting("the second caller", second)
	g.leave()
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	for range 3 {
		g.leave()
	}
	if g.inside != 0 || len(g.queue) != 0 {
		t.Errorf("gate left with %d inside and %d queued", g.inside, len(g.queue))
	}
}
