# Sourced by the scripts that install Debian packages a new machine may lack.
# apt_install PACKAGE... installs the packages (the caller checks which are
# missing): it waits for the dpkg lock (unattended-upgrades holds it on a
# freshly booted machine), retries downloads, and refreshes the package
# lists once when an install fails on stale ones.
apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      echo "apt_install: $* missing and apt-get needs root: run 'sudo apt-get install $*'" >&2
      return 1
    fi
  fi
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get
    -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -y -qq)
  "${apt[@]}" install --no-install-recommends "$@" >&2 ||
    { "${apt[@]}" update >&2 && "${apt[@]}" install --no-install-recommends "$@" >&2; }
}
