# stop_group PID: stops the process group a script started with
# `setsid` (its leader's id is the group's): TERM, then KILL after 30 s,
# so a backend that hangs on shutdown cannot hang the test run.
stop_group() {
  local pid="$1"
  kill -TERM -- -"$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do
    kill -0 -- -"$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- -"$pid" 2>/dev/null; then
    echo "process group $pid did not stop within 30 s of TERM: killed" >&2
    kill -KILL -- -"$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
