package api

import (
	"sync"
	"time"
)

// loginGuard holds the sign-in limits of POST /tokens and POST /session:
//
//   - per client address, whatever the account: many failures from one
//     address (guessing many accounts, or made-up names that each cost a
//     bcrypt comparison) are refused for a while;
//   - per address and account: the classic limit, refused for a while;
//   - per account, from every address: a growing delay between attempts,
//     capped, never a lock; an address the account recently signed in from
//     is exempt, so a guesser elsewhere cannot keep its owner out.
//
// The account is the one the login resolves to (username in any case or
// e-mail, spaces trimmed: every spelling counts as one), or the normalised
// login when it names nobody. Every attempt is counted before its password
// is checked, so parallel guesses cannot all slip through.
type loginGuard struct {
	address *throttle
	pair    *throttle
	account *backoff
	known   *knownAddrs
}

func newLoginGuard(now func() time.Time) *loginGuard {
	return &loginGuard{
		address: newThrottle(50, 15*time.Minute, now),
		pair:    newThrottle(10, 15*time.Minute, now),
		account: newBackoff(5, time.Second, 30*time.Second, time.Hour, now),
		known:   newKnownAddrs(30*24*time.Hour, now),
	}
}

// loginAttempt is one counted attempt; end it with succeeded, failed or
// cancelled.
type loginAttempt struct {
	g                     *loginGuard
	addr, pairKey, acct   string
	addrStamp, pairStamp  time.Time
	acctStamp             time.Time
	acctCounted, finished bool
}

// addressWait tells how long a client address must wait before any sign-in
// (checked before the account is looked up, so a flood costs no queries).
func (g *loginGuard) addressWait(addr string) time.Duration {
	return g.address.blocked(addr)
}

// begin counts an attempt by addr on account acct, or says how long to wait.
func (g *loginGuard) begin(addr, acct string) (*loginAttempt, time.Duration) {
	a := &loginAttempt{g: g, addr: addr, pairKey: addr + "|" + acct, acct: acct}
	var wait time.Duration
	if a.addrStamp, wait = g.address.take(addr); wait > 0 {
		return nil, wait
	}
	if a.pairStamp, wait = g.pair.take(a.pairKey); wait > 0 {
		g.address.give(addr, a.addrStamp)
		return nil, wait
	}
	if !g.known.has(acct, addr) {
		if a.acctStamp, wait = g.account.take(acct); wait > 0 {
			g.address.give(addr, a.addrStamp)
			g.pair.give(a.pairKey, a.pairStamp)
			return nil, wait
		}
		a.acctCounted = true
	}
	return a, 0
}

// succeeded forgets the account's failures and remembers the address.
func (a *loginAttempt) succeeded() {
	if a.finished {
		return
	}
	a.finished = true
	a.g.address.give(a.addr, a.addrStamp)
	a.g.pair.reset(a.pairKey)
	a.g.account.reset(a.acct)
	a.g.known.add(a.acct, a.addr)
}

// failed keeps the attempt counted.
func (a *loginAttempt) failed() { a.finished = true }

// cancelled takes the attempt back: its password was never checked.
func (a *loginAttempt) cancelled() {
	if a.finished {
		return
	}
	a.finished = true
	a.g.address.give(a.addr, a.addrStamp)
	a.g.pair.give(a.pairKey, a.pairStamp)
	if a.acctCounted {
		a.g.account.give(a.acct, a.acctStamp)
	}
}

// knownAddrs remembers, for a while, which addresses each account signed in
// from.
type knownAddrs struct {
	ttl time.Duration
	now func() time.Time

	mu   sync.Mutex
	seen map[string]time.Time
}

func newKnownAddrs(ttl time.Duration, now func() time.Time) *knownAddrs {
	return &knownAddrs{ttl: ttl, now: now, seen: map[string]time.Time{}}
}

func (k *knownAddrs) has(acct, addr string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	at, ok := k.seen[acct+"|"+addr]
	return ok && k.now().Sub(at) < k.ttl
}

func (k *knownAddrs) add(acct, addr string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	if len(k.seen) >= maxThrottleKeys {
		for key, at := range k.seen {
			if now.Sub(at) >= k.ttl {
				delete(k.seen, key)
			}
		}
		// Still full: forget arbitrary entries (the worst outcome is one
		// more delay for their owners).
		for key := range k.seen {
			if len(k.seen) < maxThrottleKeys {
				break
			}
			delete(k.seen, key)
		}
	}
	k.seen[acct+"|"+addr] = now
}
