package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Exit statuses of a scan stopped by a signal: 128 plus the signal's
// number, as shells report it.
const (
	ExitInterrupted = 130 // SIGINT (Ctrl-C)
	ExitTerminated  = 143 // SIGTERM
)

// stopError is the cause of a context cancelled because the scan was
// stopped: by a signal, or by --timeout.
type stopError struct {
	sig     os.Signal     // the signal, or nil for a timeout
	timeout time.Duration // the timeout that expired
}

func (e *stopError) Error() string {
	if e.sig == nil {
		return fmt.Sprintf("timed out after %s", e.timeout)
	}
	return "interrupted by " + signalName(e.sig)
}

// code is the exit status a stopped scan ends with.
func (e *stopError) code() int {
	switch e.sig {
	case nil:
		return ExitError
	case syscall.SIGTERM:
		return ExitTerminated
	}
	return ExitInterrupted
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// stopped returns why ctx was stopped (a signal or --timeout), or nil when
// it was not.
func stopped(ctx context.Context) *stopError {
	var se *stopError
	if errors.As(context.Cause(ctx), &se) {
		return se
	}
	return nil
}

// notifyContext returns a context cancelled, with a *stopError cause, on the
// first SIGINT or SIGTERM, so that a scan can stop and write what it found
// so far. A second signal ends the process at once with the signal's exit
// status. stop releases the signal handler.
func notifyContext(parent context.Context, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(&stopError{sig: sig})
		case <-done:
			return
		}
		select {
		case sig := <-ch:
			exit((&stopError{sig: sig}).code())
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// withTimeout applies --timeout: after d the context is cancelled with a
// *stopError cause. d <= 0 means no timeout.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, d, &stopError{timeout: d})
}
