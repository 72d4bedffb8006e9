#!/usr/bin/env bash
# Browser check of the generated dashboard: makes a small archive (with a restart, a gap, an
# incident and bad files), generates the site, serves it on a loopback port, loads it in headless
# Chromium at desktop (1280x900) and phone (390x844) widths, both as text/html and as
# application/xhtml+xml (the strict XML parser), saves screenshots and checks the DOM.
# Then the same for a fleet: a 3-node archive in two folders (one node restarted, one stale, one
# with an id full of markup characters) gives the overview page, whose rows link to each node's
# page under nodes/<node>/; and --node still gives one node's page alone.
# The node page has a routes table (one row per route with traffic, each with an inline sparkline).
# The status classes chart (2xx-5xx, stacked) and the storage charts (ops by op, batch size, p99).
# The health table gives each check's worst state in the window and its time unhealthy/degraded.
# The time charts mark the archive's restart (a dashed vertical line) and its gap ("no data"), shade
# the incident's firing alert (its name in the legend) and draw the --mark given (a labelled line,
# the label escaped); each chart's <desc> names them; bad --mark values end with one line.
# Every chart carries a <desc> summary (per series: latest, lowest, highest), also on the page as text.
# Then time ranges: --ranges 1h,3h,1d gives index.html (1h), range-3h.html and range-1d.html, each
# linking to the others; the 1d page of the 3 h archive starts at the oldest snapshot and says so.
# Then a node on a shared store: an archive whose snapshots carry a cluster section gives the
# "Cluster members" table (three members, one with markup characters in its id).
# Usage: scripts/check-dashboard.sh [BINARY] [SCREENSHOT_DIR]
#   BINARY defaults to .build/debug/kvstore-dashboard; screenshots go to SCREENSHOT_DIR or a new
#   folder under ${TMPDIR:-/tmp} (kept, its path printed).
# Prints one line per check and "N passed, M failed"; exits 1 when any check failed.
set -uo pipefail

NAME=check-dashboard
START_WAIT=${START_WAIT:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BINARY=${1:-$ROOT/.build/debug/kvstore-dashboard}
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
SHOTS=${2:-$(mktemp -d "${TMPDIR:-/tmp}/kvstore-dashboard-shots.XXXXXX")}
mkdir -p "$SHOTS"

[[ -x $BINARY ]] || die "no executable at $BINARY (build it: swift build --product kvstore-dashboard)"
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n $CHROMIUM ]] || die "chromium is not installed (scripts/setup.sh test installs it)"
command -v xmllint >/dev/null || die "xmllint is not installed (scripts/setup.sh test installs it)"

passed=0
failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@" >"$TMP/check.out" 2>&1; then
        passed=$((passed + 1)); echo "ok    $what"
    else
        failed=$((failed + 1)); echo "FAIL  $what: $(tail -3 "$TMP/check.out" | tr '\n' ' ')"
    fi
}

python3 "$ROOT/scripts/make-archive.py" --out "$TMP/archive" --duration 3h --interval 15 --restart-at 0.4 \
    --gap-at 0.6 --gap 12m --incident-at 0.8 --bad-files 2>/dev/null || die "make-archive.py failed"
MARK_TIME=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
check "generate the site" timeout 120 "$BINARY" generate --snapshots "$TMP/archive" --out "$TMP/public" \
    --last 3h --timezone Europe/Berlin --title "check-dashboard <&> \"site\"" --refresh 0 --mark "$MARK_TIME=deploy <v2> & co"
[[ -f $TMP/public/index.html ]] || { echo "0 passed, 1 failed"; exit 1; }

wellformed() { local file; for file in "$TMP"/public/index.html "$TMP"/public/charts/*.svg; do xmllint --noout --nonet "$file" || return 1; done; }
check "xmllint accepts every file" wellformed
check "the page lists the skipped files" grep -q 'id="skipped-count">4<' "$TMP/public/index.html"
check "the page has twelve inline charts and the firing alert's (why it fired)" test "$(grep -o '<svg [^>]*class="chart"' "$TMP/public/index.html" | wc -l)" -eq 13
evidence_ok() { # HighErrorRate's chart: the value it tested and its threshold, in the "Why the alerts fired" section
    local svg="$TMP/public/charts/alert-higherrorrate.svg"
    grep -q '<h2 id="evidence-heading">Why the alerts fired</h2>' "$TMP/public/index.html" \
        && grep -q 'id="figure-alert-higherrorrate"' "$TMP/public/index.html" \
        && grep -q '>value<' "$svg" && grep -q '>threshold<' "$svg" \
        && grep -q 'against the threshold 0.050' "$TMP/public/index.html"
}
check "why it fired: HighErrorRate's value against its threshold 0.05, with its firing band" evidence_ok
new_charts_ok() { # status classes (four stacked lines) and the storage charts, each drawn with data
    local dir=$TMP/public/charts
    [[ $(grep -o 'class="series series-[0-9]"' "$dir/status-classes.svg" | wc -l) -eq 4 ]] || { echo "status-classes: not 4 series"; return 1; }
    [[ $(grep -o 'class="series series-[0-9]"' "$dir/storage-operations.svg" | wc -l) -eq 5 ]] || { echo "storage-operations: not 5 ops"; return 1; }
    grep -q 'writes per commit: latest [0-9.]* writes' "$dir/commit-batch.svg" || { echo "commit-batch: no values"; return 1; }
    grep -q 'put p99: latest [0-9.]* ms.*commit p99: latest [0-9.]* ms' "$dir/storage-latency.svg" || { echo "storage-latency: no p99"; return 1; }
}
check "status classes (4 stacked series) and storage charts (5 ops, batch size, p99) drawn with data" new_charts_ok
summaries_ok() { # every chart's <desc> names each series' latest/lowest/highest, and the page shows it as text
    local file id desc
    for file in "$TMP"/public/charts/*.svg; do
        id=$(basename "$file" .svg)
        desc=$(xmllint --nonet --xpath "string(//*[local-name()='desc'])" "$file") || return 1
        [[ -n $desc ]] || { echo "$id: no <desc>"; return 1; }
        [[ $id == health-timeline || $desc == *latest*lowest*highest* || $desc == *"no data"* ]] || { echo "$id: $desc"; return 1; }
        grep -qF "<p id=\"summary-$id\">" "$TMP/public/index.html" || { echo "$id: no text summary on the page"; return 1; }
    done
}
health_window_ok() { # the incident made the storage check unhealthy: its row says so for the window, beside its newest state
    local row
    row=$(grep -o '<tr><th scope="row">storage.*' "$TMP/public/index.html" | head -1 | sed 's|</tr>.*||')
    grep -q 'data-label="worst in window"><span class="status status-unhealthy">' <<<"$row" || { echo "storage: worst is not unhealthy"; return 1; }
    grep -Eq '<td class="in-window" data-label="in window">unhealthy [1-9][0-9]* (s|min)' <<<"$row" || { echo "storage: no time unhealthy"; return 1; }
}
check "health over the window: the storage check's worst state and time unhealthy" health_window_ok
check "annotations: the request-rate chart marks the restart and labels the gap \"no data\"" bash -c \
    "grep -q 'class=\"restart\"' '$TMP/public/charts/request-rate.svg' && grep -q 'class=\"gap\"' '$TMP/public/charts/request-rate.svg' \
     && grep -q '>no data</text>' '$TMP/public/charts/request-rate.svg'"
check "every chart has a <desc> summary, shown as text on the page too" summaries_ok
annotations_ok() { # DIR CHART...: each chart shades HighErrorRate (named in its legend), draws the mark and names both in its <desc>
    local dir=$1 id file desc; shift
    for id in "$@"; do
        file=$dir/charts/$id.svg
        grep -q 'class="alert-band"' "$file" || { echo "$id: no alert band"; return 1; }
        grep -q '<g class="legend-alert">.*>HighErrorRate</text>' "$file" || { echo "$id: HighErrorRate not in the legend"; return 1; }
        [[ $(grep -o 'class="mark-line"' "$file" | wc -l) -eq 1 ]] || { echo "$id: not one mark line"; return 1; }
        grep -qF '>deploy &lt;v2&gt; &amp; co</text>' "$file" || { echo "$id: no escaped mark label"; return 1; }
        ! grep -qF 'deploy <v2>' "$file" || { echo "$id: the label is not escaped"; return 1; }
        desc=$(xmllint --nonet --xpath "string(//*[local-name()='desc'])" "$file") || return 1
        [[ $desc == *"Annotations: "*"alert HighErrorRate firing "*"mark deploy <v2> & co at "* ]] || { echo "$id: $desc"; return 1; }
    done
}
node_annotations_ok() { # the node page: also the restart and the gap, in every <desc> too
    local file
    annotations_ok "$TMP/public" request-rate error-ratio latency memory threads storage-size storage-keys status-classes \
        storage-operations commit-batch storage-latency health-timeline || return 1
    for file in "$TMP"/public/charts/*.svg; do
        # An alert's own chart spans the stretch it was active, without the window's restart and gap.
        [[ $(basename "$file") == alert-* ]] && continue
        grep -Eq 'Annotations: [0-9]+ restarts?, 1 gap without data' "$file" || { echo "$(basename "$file"): no restart and gap in its <desc>"; return 1; }
    done
}
check "annotations: every chart shades the firing alert (named in the legend), draws the --mark (escaped), and its <desc> names them" node_annotations_ok
bad_mark_ok() { # VALUE EXPECTED-LINE: exit 1 and that one line
    local errors status
    errors=$("$BINARY" generate --snapshots "$TMP/archive" --out "$TMP/bad-mark" --last 3h --mark "$1" 2>&1 >/dev/null); status=$?
    [[ $status -eq 1 && $errors == "$2" && ! -e $TMP/bad-mark ]] || { echo "status $status: $errors"; return 1; }
}
check "--mark without '=' ends with one line naming it" bad_mark_ok deploy \
    "kvstore-dashboard: --mark: 'deploy' is not TIME=LABEL (such as 2026-11-29T01:40:00Z=deploy)"
check "--mark with a bad time ends with one line naming it" bad_mark_ok "tomorrow=deploy" \
    "kvstore-dashboard: --mark: 'tomorrow' in 'tomorrow=deploy' is not an RFC 3339 time (such as 2026-11-29T01:40:00Z)"
check "--mark with an empty label ends with one line naming it" bad_mark_ok "$MARK_TIME=" \
    "kvstore-dashboard: --mark: '$MARK_TIME=' has an empty label (TIME=LABEL, such as 2026-11-29T01:40:00Z=deploy)"
check "the routes table has a row per route, each with its sparkline" bash -c "[[ \$(grep -o '<tr id=\"route-[0-9]*\"' '$TMP/public/index.html' | wc -l) -ge 3 \
    && \$(grep -o '<svg [^>]*class=\"spark\"' '$TMP/public/index.html' | wc -l) -eq \$(grep -o '<tr id=\"route-[0-9]*\"' '$TMP/public/index.html' | wc -l) ]]"

# ---- time ranges: one page per range, plain links between them ----
check "ranges: generate one page per range" timeout 120 "$BINARY" generate --snapshots "$TMP/archive" --out "$TMP/ranges" \
    --ranges 1h,3h,1d --timezone Europe/Berlin --title "ranges check" --refresh 0
ranges_wellformed() { local file; for file in "$TMP"/ranges/*.html "$TMP"/ranges/charts/*.svg; do xmllint --noout --nonet "$file" || return 1; done; }
check "ranges: xmllint accepts every page and chart" ranges_wellformed
check "ranges: index.html, range-3h.html and range-1d.html, each with its own twelve charts (and the alert's)" bash -c "
    [[ \$(ls '$TMP/ranges' | grep -c '\\.html\$') -eq 3 && -f '$TMP/ranges/range-3h.html' && -f '$TMP/ranges/range-1d.html' ]] \
    && [[ \$(ls '$TMP/ranges/charts' | grep -c '^range-1d-') -eq 13 && -f '$TMP/ranges/charts/range-1d-alert-higherrorrate.svg' ]]"
range_links_ok() { # every page links to all three pages, which exist, and marks itself current
    local page link
    for page in index.html range-3h.html range-1d.html; do
        [[ $(grep -o '<a href="[^"]*" id="range-[^"]*"' "$TMP/ranges/$page" | wc -l) -eq 3 ]] || { echo "$page: not 3 range links"; return 1; }
        for link in $(grep -o '<a href="[^"]*" id="range-' "$TMP/ranges/$page" | sed 's/^<a href="//; s/" id="range-$//'); do
            [[ -f $TMP/ranges/$link ]] || { echo "$page links to missing $link"; return 1; }
        done
        grep -q "<a href=\"$page\" id=\"range-[^\"]*\" class=\"current\" aria-current=\"page\">" "$TMP/ranges/$page" \
            || { echo "$page is not marked current"; return 1; }
    done
}
check "ranges: every page links to every range's page and marks itself" range_links_ok
check "ranges: the 1d page of a 3 h archive starts at the oldest snapshot and says so, the 1h page not" bash -c \
    "grep -q 'id=\"range-note\"' '$TMP/ranges/range-1d.html' && ! grep -q 'id=\"range-note\"' '$TMP/ranges/index.html'"

# ---- the fleet: three nodes, the third in a folder of its own and stopped 40 minutes ago ----
FLEET_END=$(date -u +%Y-%m-%dT%H:%M:%SZ)
STALE_END=$(date -u -d '-40 min' +%Y-%m-%dT%H:%M:%SZ)
EVIL='zeta <&"3>'
python3 "$ROOT/scripts/make-archive.py" --out "$TMP/fleet-a" --node node-1 --seed 1 --duration 3h --end "$FLEET_END" \
    --incident-at 0.8 2>/dev/null || die "make-archive.py failed (node-1)"
python3 "$ROOT/scripts/make-archive.py" --out "$TMP/fleet-a" --node node-2 --seed 2 --duration 3h --end "$FLEET_END" \
    --restart-at 0.5 2>/dev/null || die "make-archive.py failed (node-2)"
python3 "$ROOT/scripts/make-archive.py" --out "$TMP/fleet-b" --node "$EVIL" --seed 3 --duration 3h --end "$STALE_END" \
    2>/dev/null || die "make-archive.py failed (node 3)"
check "generate the fleet site from two folders" timeout 180 "$BINARY" generate --snapshots "$TMP/fleet-a" \
    --snapshots "$TMP/fleet-b" --out "$TMP/fleet" --last 3h --timezone Europe/Berlin --title "fleet <&> check" --refresh 0 --stale-after 30m \
    --mark "$MARK_TIME=deploy <v2> & co"
FLEET=$TMP/fleet/index.html
[[ -f $FLEET ]] || { echo "$passed passed, $((failed + 1)) failed"; exit 1; }
fleet_wellformed() { local file; for file in "$TMP"/fleet/index.html "$TMP"/fleet/charts/*.svg "$TMP"/fleet/nodes/*/index.html \
    "$TMP"/fleet/nodes/*/charts/*.svg; do xmllint --noout --nonet "$file" || return 1; done; }
check "fleet: xmllint accepts every file (overview, its charts, every node's page and charts)" fleet_wellformed
check "fleet: the overview has one row per node" test "$(grep -o '<tr id="node-[0-9]*"' "$FLEET" | wc -l)" -eq 3
check "fleet: the overview has five inline charts" test "$(grep -o '<svg ' "$FLEET" | wc -l)" -eq 5
check "fleet: the node id is escaped, never markup" bash -c "grep -q 'zeta &lt;&amp;&quot;3&gt;' '$FLEET' && ! grep -qF '$EVIL' '$FLEET'"
check "fleet: the stopped node is marked stale, the others not" bash -c "grep -q 'id=\"node-3-stale\"' '$FLEET' && ! grep -q 'id=\"node-[12]-stale\"' '$FLEET'"
check "fleet: node-2's restart is counted" grep -q 'id="node-2-restarts">1<' "$FLEET"
check "fleet: every chart shades node-1's firing alert (named in the legend) and draws the --mark" annotations_ok "$TMP/fleet" \
    fleet-request-rate fleet-error-ratio fleet-latency-p99 fleet-memory fleet-health
check "fleet: node-1's page shades its alert and draws the mark too" annotations_ok "$TMP/fleet/nodes/node-1" request-rate latency
links_ok() { # every row's link names a page that exists and links back
    local link count=0
    for link in $(grep -o 'href="nodes/[^"]*"' "$FLEET" | sed 's/^href="//; s/"$//'); do
        [[ -f $TMP/fleet/$link ]] || { echo "no page at $link"; return 1; }
        grep -q 'href="../../index.html"' "$TMP/fleet/$link" || { echo "$link does not link back"; return 1; }
        count=$((count + 1))
    done
    [[ $count -eq 3 ]] || { echo "$count node links, expected 3"; return 1; }
}
check "fleet: every row links to its node's page under nodes/, which links back" links_ok
check "--node node-2 gives that node's page alone" bash -c "timeout 120 '$BINARY' generate --snapshots '$TMP/fleet-a' \
    --snapshots '$TMP/fleet-b' --out '$TMP/single' --last 3h --node node-2 >/dev/null && [[ ! -e '$TMP/single/nodes' ]] \
    && grep -q 'Node <strong>node-2</strong>' '$TMP/single/index.html' && ! grep -q 'overview-link' '$TMP/single/index.html'"

# ---- a node on a shared store: snapshots with a cluster section show the members table ----
python3 "$ROOT/scripts/make-archive.py" --out "$TMP/members-archive" --node node-1 --duration 30m --end "$FLEET_END" \
    --cluster "node-1,node-2:missing,$EVIL:left" 2>/dev/null || die "make-archive.py failed (members)"
check "members: generate the page" timeout 120 "$BINARY" generate --snapshots "$TMP/members-archive" --out "$TMP/members" \
    --last 30m --timezone Europe/Berlin --title "members check" --refresh 0
MEMBERS=$TMP/members/index.html
check "members: xmllint accepts the page" xmllint --noout --nonet "$MEMBERS"
check "members: one row per member, each with its state word" bash -c "[[ \$(grep -o '<tr id=\"member-[0-9]*\"' '$MEMBERS' | wc -l) -eq 3 ]] \
    && grep -q 'id=\"member-1-state\">.*> alive</span>' '$MEMBERS' && grep -q 'id=\"member-2-state\">.*> missing</span>' '$MEMBERS' \
    && grep -q 'id=\"member-3-state\">.*> left</span>' '$MEMBERS'"
check "members: the member id is escaped, never markup" bash -c "grep -q 'zeta &lt;&amp;&quot;3&gt;' '$MEMBERS' && ! grep -qF '$EVIL' '$MEMBERS'"
check "members: a page from snapshots without the section has no members table" bash -c "! grep -q 'cluster-heading' '$TMP/public/index.html'"

# Two servers per site: the default (text/html) and one that serves .html as application/xhtml+xml.
serve() { # serve PORT MIME [ROOT]
    python3 - "$1" "$2" "${3:-$TMP/public}" <<'PY' &
import functools, http.server, sys
port, mime, root = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".html": mime, ".svg": "image/svg+xml"}
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root)).serve_forever()
PY
    PIDS+=($!)
    wait_for "server-$1" $! curl -fsS -o /dev/null "http://127.0.0.1:$1/index.html"
}
HTML_PORT=$(free_port); serve "$HTML_PORT" "text/html; charset=utf-8"
XHTML_PORT=$(free_port); serve "$XHTML_PORT" "application/xhtml+xml"
FLEET_HTML_PORT=$(free_port); serve "$FLEET_HTML_PORT" "text/html; charset=utf-8" "$TMP/fleet"
FLEET_XHTML_PORT=$(free_port); serve "$FLEET_XHTML_PORT" "application/xhtml+xml" "$TMP/fleet"
MEMBERS_PORT=$(free_port); serve "$MEMBERS_PORT" "application/xhtml+xml" "$TMP/members"
RANGES_PORT=$(free_port); serve "$RANGES_PORT" "application/xhtml+xml" "$TMP/ranges"

check "every chart file is served" bash -c "for f in $TMP/public/charts/*.svg; do curl -fsS -o /dev/null http://127.0.0.1:$HTML_PORT/charts/\$(basename \$f) || exit 1; done"

browser() { timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-extensions --user-data-dir="$TMP/chromium" "$@" 2>>"$TMP/chromium.log"; }
dom_ok() { # dom_ok URL
    browser --dump-dom "$1" >"$TMP/dom.html" || return 1
    if grep -qi 'parsererror' "$TMP/dom.html"; then echo "XML parse error in the browser"; return 1; fi
    grep -q 'id="charts-heading"' "$TMP/dom.html" || { echo "no charts heading in the DOM"; return 1; }
    [[ $(grep -o '<svg ' "$TMP/dom.html" | wc -l) -ge 12 ]] || { echo "fewer than 12 charts in the DOM"; return 1; }
    ! grep -qi '<script' "$TMP/dom.html" || { echo "a script element in the DOM"; return 1; }
}
shot_ok() { # shot_ok URL SIZE FILE [CHROMIUM FLAGS...]
    rm -f "$3"
    # the virtual time budget lets the page finish painting (large inline SVGs) before the shot
    browser --window-size="$2" --virtual-time-budget=3000 "${@:4}" --screenshot="$3" "$1" >/dev/null || return 1
    [[ -s $3 && $(stat -c %s "$3") -gt 10000 ]] || { echo "screenshot $3 missing or blank"; return 1; }
}
for mode in html xhtml; do
    port=$HTML_PORT; [[ $mode == xhtml ]] && port=$XHTML_PORT
    url="http://127.0.0.1:$port/index.html"
    check "$mode: the DOM parsed with every chart and no parser error" dom_ok "$url"
    check "$mode: desktop screenshot (1280x900)" shot_ok "$url" 1280,900 "$SHOTS/dashboard-$mode-desktop.png"
    check "$mode: phone screenshot (390x844)" shot_ok "$url" 390,844 "$SHOTS/dashboard-$mode-phone.png"
done
fleet_dom_ok() { # fleet_dom_ok URL
    browser --dump-dom "$1" >"$TMP/fleet-dom.html" || return 1
    if grep -qi 'parsererror' "$TMP/fleet-dom.html"; then echo "XML parse error in the browser"; return 1; fi
    grep -q 'id="nodes-heading"' "$TMP/fleet-dom.html" || { echo "no nodes table in the DOM"; return 1; }
    [[ $(grep -o '<tr id="node-[0-9]*"' "$TMP/fleet-dom.html" | wc -l) -eq 3 ]] || { echo "not 3 node rows in the DOM"; return 1; }
    [[ $(grep -o '<svg ' "$TMP/fleet-dom.html" | wc -l) -ge 5 ]] || { echo "fewer than 5 charts in the DOM"; return 1; }
    ! grep -qi '<script' "$TMP/fleet-dom.html" || { echo "a script element in the DOM"; return 1; }
}
node_dom_ok() { # node_dom_ok URL: a node page of the fleet site, with its link back
    dom_ok "$1" && grep -q 'id="overview-link"' "$TMP/dom.html"
}
for mode in html xhtml; do
    port=$FLEET_HTML_PORT; [[ $mode == xhtml ]] && port=$FLEET_XHTML_PORT
    url="http://127.0.0.1:$port/index.html"
    check "fleet $mode: the DOM parsed with 3 rows, every chart and no parser error" fleet_dom_ok "$url"
    check "fleet $mode: desktop screenshot (1280x900)" shot_ok "$url" 1280,900 "$SHOTS/fleet-$mode-desktop.png"
    check "fleet $mode: phone screenshot (390x844)" shot_ok "$url" 390,844 "$SHOTS/fleet-$mode-phone.png"
    check "fleet $mode: a node's page parsed with every chart and its link back" node_dom_ok "http://127.0.0.1:$port/nodes/node-2/index.html"
done
check "fleet: dark mode, phone screenshot (390x844)" shot_ok "http://127.0.0.1:$FLEET_XHTML_PORT/index.html" 390,844 \
    "$SHOTS/fleet-xhtml-phone-dark.png" --force-dark-mode --blink-settings=preferredColorScheme=0
check "fleet: a node's page, phone screenshot (390x844)" shot_ok "http://127.0.0.1:$FLEET_XHTML_PORT/nodes/node-2/index.html" 390,844 "$SHOTS/fleet-node-2-xhtml-phone.png"
members_dom_ok() { # the members page parsed as XML, with its table
    dom_ok "$1" && grep -q 'id="cluster-heading"' "$TMP/dom.html" \
        && [[ $(grep -o '<tr id="member-[0-9]*"' "$TMP/dom.html" | wc -l) -eq 3 ]]
}
MEMBERS_URL="http://127.0.0.1:$MEMBERS_PORT/index.html"
check "members xhtml: the DOM parsed with the members table and every chart" members_dom_ok "$MEMBERS_URL"
check "members xhtml: desktop screenshot (1280x1200, down to the members table)" shot_ok "$MEMBERS_URL" 1280,1200 "$SHOTS/members-xhtml-desktop.png"
check "members xhtml: phone screenshot (390 wide, 2300 tall: down to the members table)" shot_ok "$MEMBERS_URL" 390,2300 "$SHOTS/members-xhtml-phone.png"
check "members xhtml: dark mode, phone screenshot (390x2300)" shot_ok "$MEMBERS_URL" 390,2300 "$SHOTS/members-xhtml-phone-dark.png" \
    --force-dark-mode --blink-settings=preferredColorScheme=0
RANGES_URL="http://127.0.0.1:$RANGES_PORT/range-1d.html"
check "ranges xhtml: the 1d page parsed with every chart" dom_ok "$RANGES_URL"
check "ranges xhtml: desktop screenshot of the 1d page (1280x900)" shot_ok "$RANGES_URL" 1280,900 "$SHOTS/ranges-1d-xhtml-desktop.png"
check "ranges xhtml: phone screenshot of the 1d page (390x844)" shot_ok "$RANGES_URL" 390,844 "$SHOTS/ranges-1d-xhtml-phone.png"
check "ranges xhtml: dark mode, phone screenshot of the 1d page (390x844)" shot_ok "$RANGES_URL" 390,844 \
    "$SHOTS/ranges-1d-xhtml-phone-dark.png" --force-dark-mode --blink-settings=preferredColorScheme=0
svg_ok() { browser --dump-dom "http://127.0.0.1:$HTML_PORT/charts/latency.svg" >"$TMP/svg.html" && ! grep -qi parsererror "$TMP/svg.html"; }
check "a chart file opens on its own" svg_ok

echo "screenshots: $SHOTS"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
