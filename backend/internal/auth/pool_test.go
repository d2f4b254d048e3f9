package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolBoundsConcurrency(t *testing.T) {
	p := NewPool(2, 100, 10*time.Second)
	var running, peak atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Do(context.Background(), func() {
				n := running.Add(1)
				for {
					old := peak.Load()
					if n <= old || peak.CompareAndSwap(old, n) {
						break
					}
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak.Load() > 2 || p.Runs() != 20 {
		t.Errorf("peak %d (want <= 2), runs %d (want 20)", peak.Load(), p.Runs())
	}
}

func TestPoolRefusesWhenOverloaded(t *testing.T) {
	p := NewPool(1, 1, 50*time.Millisecond)
	hold, held := make(chan struct{}), make(chan struct{})
	go func() { _ = p.Do(context.Background(), func() { close(held); <-hold }) }()
	<-held

	// One may wait: it gives up after maxWait.
	start := time.Now()
	if err := p.Do(context.Background(), func() { t.Error("ran while the slot was held") }); !errors.Is(err, ErrBusy) {
		t.Fatalf("waiter: %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("gave up after %s, before maxWait", waited)
	}

	// With the queue full, the next is refused at once.
	waiterIn := make(chan error)
	go func() { waiterIn <- p.Do(context.Background(), func() {}) }()
	time.Sleep(10 * time.Millisecond)
	start = time.Now()
	if err := p.Do(context.Background(), func() {}); !errors.Is(err, ErrBusy) || time.Since(start) > 20*time.Millisecond {
		t.Fatalf("over the queue: %v after %s, want ErrBusy at once", err, time.Since(start))
	}
	<-waiterIn

	// A caller that gives up is not run either.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Do(ctx, func() { t.Error("ran for a cancelled caller") }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	close(hold)
	if err := p.Do(context.Background(), func() {}); err != nil {
		t.Fatalf("after the slot freed: %v", err)
	}
}
