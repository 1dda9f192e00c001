# Sourced by the Go builds: finds Go where the official release and
# Debian's package put it when PATH does not name it (a non-interactive
# CI shell reads no profile that would add it).
if ! command -v go >/dev/null; then
  for dir in /usr/local/go/bin /usr/lib/go/bin "$HOME/go/bin"; do
    if [ -x "$dir/go" ]; then
      export PATH="$dir:$PATH"
      break
    fi
  done
fi
