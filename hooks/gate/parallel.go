package gate

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// panicError is a panic recovered in a goroutine of the hook; like a panic
// in the hook itself, it always blocks.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("internal error: %v", e.value) }

// parallel runs fns concurrently and returns their errors joined. A panic in
// one becomes a *panicError.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = &panicError{value: p, stack: debug.Stack()}
				}
			}()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
