#!/usr/bin/env bash
# test.sh runs the whole custody test suite on a Debian machine.
#
# It installs what is missing from Debian's packages (postgresql, chromium,
# poppler-utils, zbar-tools), starts a throwaway PostgreSQL server in a
# temporary directory (as the postgres user when run as root: initdb refuses
# root), points the tests at it and at Chromium, runs go vet and go test on
# every package, and stops the server again. Extra arguments go to `go test`
# (e.g. ./test.sh -run TestCrash). Images the tests render for a person to
# look at (PNG pages of the PDFs) go to ./artifacts, or $CUSTODY_TEST_ARTIFACTS.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The newest PostgreSQL server's bin directory (one with initdb: the client
# package alone installs psql in the same place).
pg_bindir() {
	ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname
}

need=()
[ -n "$(pg_bindir)" ] || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The report tests rasterise PDFs (pdftoppm), read their text (pdftotext)
# and decode their QR codes (zbarimg).
{ command -v pdftoppm && command -v pdftotext; } >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]} from Debian's packages"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

bindir=$(pg_bindir)
[ -n "$bindir" ] || { echo "test.sh: PostgreSQL is not installed and could not be installed" >&2; exit 1; }

# A throwaway server listening only on a Unix socket in a fresh directory,
# so it never collides with another server or port.
pgdir=$(mktemp -d /tmp/custody-pg.XXXXXX)
chmod 755 "$pgdir"
run_pg() {
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$pgdir"
		su postgres -s /bin/sh -c "$*"
	else
		sh -c "$*"
	fi
}
stop_pg() {
	run_pg "'$bindir/pg_ctl' -D '$pgdir/data' -m immediate stop" >/dev/null 2>&1 || true
	rm -rf "$pgdir"
}
trap stop_pg EXIT
log "starting a throwaway PostgreSQL ($bindir) in $pgdir"
run_pg "'$bindir/initdb' -D '$pgdir/data' -A trust -U postgres -E UTF8 --no-instructions" >/dev/null
run_pg "'$bindir/pg_ctl' -D '$pgdir/data' -l '$pgdir/server.log' -w -o \"-c listen_addresses='' -k '$pgdir' -c fsync=on\" start" >/dev/null

export CUSTODY_TEST_POSTGRES="postgres://postgres@/postgres?host=$pgdir&sslmode=disable"
export CUSTODY_TEST_CHROMIUM="$(command -v chromium)"
# In this script nothing may be skipped for want of a server, a browser or a
# PDF or QR tool.
export CUSTODY_TEST_REQUIRE=1
# Tests leave what a person should look at (PNG pages of the rendered PDFs)
# here; the directory is git-ignored.
export CUSTODY_TEST_ARTIFACTS="${CUSTODY_TEST_ARTIFACTS:-$PWD/artifacts}"
mkdir -p "$CUSTODY_TEST_ARTIFACTS"
log "test artifacts go to $CUSTODY_TEST_ARTIFACTS"

log "go vet ./..."
go vet ./...
log "go test ./..."
go test -count=1 -timeout 20m "$@" ./...
