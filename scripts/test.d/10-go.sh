# Go: vet, then every package's tests with the race detector (Dovecot/RT-backed tests start their own servers).
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
# No cgo SQLite driver may sneak in through a dependency.
if go list -deps ./... | grep -q 'mattn/go-sqlite3'; then echo "mattn/go-sqlite3 is linked in: find it with go mod why"; exit 1; fi
go vet ./...
go test -race -count=1 -timeout 20m ./...
