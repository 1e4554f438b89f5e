#!/usr/bin/env bash
# rt-up.sh DIR [PORT]: a throwaway Request Tracker 5 on 127.0.0.1:PORT with its SQLite DB in DIR and an
# auth token for root in DIR/token. RT_QUIET=quiet disables every scrip (no autoreply EmailRecords).
# Recipe and measurements: docs in /work/shared/domain/request-tracker.md (about 4 s once installed).
set -euo pipefail
DIR=${1:?usage: rt-up.sh DIR [PORT]}; PORT=${2:-18081}
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s request-tracker5 >/dev/null 2>&1; then
  echo "request-tracker5 is not installed: run scripts/deps.sh test" >&2; exit 3
fi
rm -rf "$DIR"; mkdir -p "$DIR/siteconfig.d"
cat > "$DIR/RT_SiteConfig.pm" <<CONF
Set(\$rtname, 'rt.test');
Set(\$Organization, 'rt.test');
Set(\$CorrespondAddress, 'rt@rt.test');
Set(\$CommentAddress, 'rt-comment@rt.test');
Set(\$Timezone, 'UTC');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$DIR/rt.db');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, 'http://127.0.0.1:$PORT');
Set(\$LogToSyslog, undef);
Set(\$LogToFile, undef);
Set(\$LogToSTDERR, 'error');
Set(\$MailCommand, 'testfile');
1;
CONF
# Keep RT away from /etc/request-tracker5 (Debian's debconf snippets set WebPath /rt and another host).
export RT_SITE_CONFIG="$DIR/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$DIR/siteconfig.d"
rt-setup-database --action init --skip-create </dev/null >"$DIR/setup-db.log" 2>&1
cat > "$DIR/mktoken.pl" <<'PL'
use strict; use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT; RT::LoadConfig(); RT::Init();
my ($name, $desc, $quiet) = (shift // 'root', shift // 'ci', shift // '');
if ($quiet eq 'quiet') {            # disable all scrips => no autoreply/notify EmailRecord txns
  my $s = RT::Scrips->new(RT->SystemUser); $s->UnLimit;
  while (my $x = $s->Next) { $x->SetDisabled(1) }
}
my $u = RT::User->new(RT->SystemUser); $u->Load($name) or die "no user $name\n";
my $t = RT::AuthToken->new(RT::CurrentUser->new($u));
my ($id, $msg, $auth) = $t->Create(Owner => $u->Id, Description => $desc);
die "token: $msg\n" unless $id;
print "$auth\n";
PL
perl "$DIR/mktoken.pl" root ci "${RT_QUIET:-}" >"$DIR/token" 2>>"$DIR/setup-db.log"
setsid /usr/share/request-tracker5/libexec/rt-server --host 127.0.0.1 --port "$PORT" --max-workers 2 \
    >"$DIR/server.log" 2>&1 </dev/null &
echo $! >"$DIR/server.pid"
for _ in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: token $(cat "$DIR/token")" \
         "http://127.0.0.1:$PORT/REST/2.0/rt" || true)
  if [ "$code" = 200 ]; then
    # setsid forks when it happens to lead a process group, so $! can be a wrapper that has already exited:
    # record the server's own pid (the session leader, whose group holds the workers) for rt-down.sh.
    real=$(pgrep -o -f -- "rt-server --host 127.0.0.1 --port $PORT " || true)
    [ -n "$real" ] && echo "$real" >"$DIR/server.pid"
    echo "RT up on http://127.0.0.1:$PORT"; exit 0
  fi
  sleep 0.5
done
echo "RT did not come up" >&2; cat "$DIR/server.log" >&2; exit 1
