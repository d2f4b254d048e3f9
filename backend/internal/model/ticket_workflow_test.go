package model

import (
	"errors"
	"fmt"
	"testing"
)

type sqlStateErr string

func (e sqlStateErr) Error() string    { return "db error " + string(e) }
func (e sqlStateErr) SQLState() string { return string(e) }

func TestIsDeadlock(t *testing.T) {
	cases := map[error]bool{
		nil:                  false,
		errors.New("boom"):   false,
		sqlStateErr("40P01"): true,
		sqlStateErr("40001"): true,
		sqlStateErr("23505"): false,
		fmt.Errorf("adjust total_posts: %w", sqlStateErr("40P01")):                                                               true,
		errors.New("adjust total_posts: Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction"): true,
		errors.New("Error 1062 (23000): Duplicate entry"):                                                                        false,
	}
	for err, want := range cases {
		if got := IsDeadlock(err); got != want {
			t.Errorf("IsDeadlock(%v) = %v, want %v", err, got, want)
		}
	}
}
