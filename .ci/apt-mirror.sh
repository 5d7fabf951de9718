# Sourced by the .ci fetch scripts: prints the Debian mirror this machine's apt already uses
# (deb822 `*.sources` first, then one-line `sources.list`), never a security mirror, so the
# scripts work behind a local mirror and no mirror host is written into the repository.
apt_mirror() {
  local m
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1)
  [ -n "$m" ] || m=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    | awk '{for (i = 2; i <= NF; i++) if ($i !~ /^\[/) {print $i; break}}' | grep -v security | head -n1)
  [ -n "$m" ] || { echo "no Debian mirror found in /etc/apt/sources.list*" >&2; return 1; }
  echo "$m"
}
