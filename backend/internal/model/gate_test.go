package model

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestGateIsFIFO: transactions queued at the gate go through one at a
// time, in the order they arrived.
func TestGateIsFIFO(t *testing.T) {
	g := NewGate(1)
	queued := make(chan struct{})
	g.queued = func() { queued <- struct{}{} }
	ctx := context.Background()
	if err := g.Enter(ctx); err != nil {
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
			if err := g.Enter(ctx); err != nil {
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
			g.Leave()
		}()
		<-queued // i is in the queue before i+1 arrives
	}
	g.Leave()
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

// TestGateCancel: a caller that gives up while queued leaves the queue
// without taking a turn; the ones behind it still get theirs.
func TestGateCancel(t *testing.T) {
	g := NewGate(1)
	queued := make(chan struct{}, 2)
	g.queued = func() { queued <- struct{}{} }
	if err := g.Enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { gaveUp <- g.Enter(ctx) }()
	<-queued
	entered := make(chan error)
	go func() { entered <- g.Enter(context.Background()) }()
	<-queued
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	g.Leave()
	if err := <-entered; err != nil {
		t.Fatal(err)
	}
	g.Leave()
	if g.inside != 0 || len(g.queue) != 0 {
		t.Errorf("gate left with %d inside and %d queued", g.inside, len(g.queue))
	}
}

// TestGateSlots: a gate of three lets three callers in at once, not a
// fourth; each place given back goes to the caller waiting longest.
func TestGateSlots(t *testing.T) {
	g := NewGate(3)
	queued := make(chan struct{})
	g.queued = func() { queued <- struct{}{} }
	ctx := context.Background()
	for range 3 {
		if err := g.Enter(ctx); err != nil {
			t.Fatal(err)
		}
	}
	enter := func() chan error {
		in := make(chan error, 1)
		go func() { in <- g.Enter(ctx) }()
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
	g.Leave()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	waiting("the second caller", second)
	g.Leave()
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	for range 3 {
		g.Leave()
	}
	if g.inside != 0 || len(g.queue) != 0 {
		t.Errorf("gate left with %d inside and %d queued", g.inside, len(g.queue))
	}
}
