#!/usr/bin/env bash
# The shell-script way to load a TFTP server with phone boots, as a baseline for `phone-emu bench fleet`:
# each "phone" is three curl TFTP downloads (its ITL, its config, its signed config), PARALLEL phones at once,
# nothing parsed or verified. Prints the phones, the files that failed, the seconds and the boots per second.
#
#   scripts/tftp-boot-storm.sh HOST:PORT MACS.txt [PARALLEL]
#
# MACS.txt holds one MAC (12 hex digits) a line. PARALLEL defaults to 16.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 HOST:PORT MACS.txt [PARALLEL]" >&2
  exit 2
fi
server=$1
macs=$2
parallel=${3:-16}
command -v curl >/dev/null || { echo "$0: curl is not installed" >&2; exit 2; }
[ -r "$macs" ] || { echo "$0: cannot read $macs" >&2; exit 2; }
phones=$(grep -c . "$macs")
failed=$(mktemp)
trap 'rm -f "$failed"' EXIT
start=$(date +%s.%N)
export server failed
xargs -P "$parallel" -I{} sh -c '
  for f in ITLSEP{}.tlv SEP{}.cnf.xml SEP{}.cnf.xml.sgn; do
    curl -s -o /dev/null "tftp://$server/$f" || echo "SEP{} $f" >> "$failed"
  done' < "$macs"
end=$(date +%s.%N)
awk -v p="$phones" -v s="$start" -v e="$end" -v f="$(wc -l < "$failed")" \
  'BEGIN { t = e - s; printf "phones %d, failed files %d, seconds %.2f, boots/s %.1f\n", p, f, t, p / t }'
