#!/bin/sh
# peakrss.sh OUT CMD...: run CMD and write to OUT the peak of the summed
# resident memory (KB) of CMD and all its descendants (git children
# included), sampled every 50 ms; the command's exit status is kept.
# /usr/bin/time -v reports one process's peak only.
out=$1
shift
"$@" &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
	pids="$pid $(pgrep -P "$pid" 2>/dev/null) $(for c in $(pgrep -P "$pid" 2>/dev/null); do pgrep -P "$c"; done)"
	total=0
	for p in $pids; do
		r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)
		total=$((total + ${r:-0}))
	done
	[ "$total" -gt "$peak" ] && peak=$total
	sleep 0.05
done
wait "$pid"
status=$?
echo "$peak" >"$out"
exit $status
