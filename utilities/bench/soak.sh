# Copyright (c) 2026 The ovs-portsec authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# Soak: SOAK_SECONDS (default 600) of, all at once,
#
#   - a random-MAC flood: broadcasts from a new random source MAC each,
#     on f1 of br0, which has mac_learn_limit=16 (policy drop);
#   - DHCP churn on br1: a server on trusted port s, SOAK_CLIENTS (default
#     64) clients on the snooped ports d1...d4, leases granted (request,
#     ack), renewed and released at random (tests/portsec-packet.py makes
#     the messages);
#   - configuration churn on br0: policies toggled on f1 and on c1...c3,
#     a port added with settings and removed, the bridge's
#     other_config:port-security-* defaults changed;
#   - ovs-vswitchd restarted (exit, start) every SOAK_RESTART_SECONDS
#     (default 60), with e1 of br2 (mac_learn_limit=1, policy shutdown,
#     persist_err_disabled) err-disabled in every other interval and
#     recovered in the others.
#
# On the dummy datapath (netdev-dummy ports, frames injected with
# netdev-dummy/receive), not on veths: there, every frame that the
# senders inject is one that the port receives (the port's rx counter),
# and every frame that br0 (br2) forwards reaches the sink port f2 (g2)
# (its tx counter), with nothing else (no kernel's ARP, IPv6 or socket
# buffer drops) on the way, so the accounting below can demand equality.  No
# root, no network namespace, and no collision with the ovs-netdev of
# other runs.
#
# Before each restart the senders pause, and the part checks the interval
# that ends, printing PASS or FAIL lines:
#
#   - accounting: for each port, frames sent = frames received; on br0
#     and br2, where every frame is a broadcast, the frames received on f1
#     (e1) = the frames sent to f2 (g2) + f1's (e1's) counted drops (every
#     "*_drops" counter of port-security/show);
#   - the Port table's security_statistics catch up with those counters
#     (at the next statistics update);
#   - the DHCP bindings are exactly the leases granted and not released,
#     in memory and in IP_Source_Binding;
#   - e1 is err-disabled exactly when it should be, and so is its
#     err_disabled column;
#
# and after the restart, that ovs-vswitchd restored the same bindings and
# e1's state.  It fails if ovs-vswitchd exits by itself or logs an error
# (ERR, EMER).  It samples ovs-vswitchd's RSS every SOAK_SAMPLE_SECONDS
# (default 5) and reports, per incarnation, its slope after
# SOAK_WARMUP_SECONDS (default 20) of warm-up, fitted by least squares,
# pooled over the incarnations, and the slope of each incarnation's
# median RSS after its warm-up over the incarnations; each must stay
# below SOAK_MAX_SLOPE bytes per minute (default 1 MiB), the first only
# if it rests on SOAK_MIN_FIT_SECONDS (default 120) after a warm-up (with
# a restart every minute, it is only reported: restart less often, e.g.
# SOAK_RESTART_SECONDS=300, to check it).
#
# Environment: SOAK_SECONDS, SOAK_RESTART_SECONDS, SOAK_CLIENTS,
# SOAK_SAMPLE_SECONDS, SOAK_WARMUP_SECONDS, SOAK_MAX_SLOPE,
# SOAK_MIN_FIT_SECONDS (above), and SOAK_SENDERS, the senders to run
# (default "flood dhcp config"; to find which one makes RSS grow).

# What soak_cleanup stops: the part's directory and the senders' pids.
soak_dir=
soak_sender_pids=

# soak_start_vswitchd: starts ovs-vswitchd in $dir as start_daemons does.
soak_start_vswitchd() {
    ovs-vswitchd --enable-dummy --disable-system --detach --no-chdir \
        --pidfile --log-file -vconsole:off -vfile:info 2> /dev/null
    vswitchd_pid=$(cat "$dir/ovs-vswitchd.pid")
    # The database still has the ports' ofport from the last incarnation:
    # wait for ovs-vswitchd itself to have them.
    local up="ovs-appctl port-security/show br1 | grep -c 'port d4:'"
    if [ "$(soak_wait_for "$up" 1)" != 1 ]; then
        vswitchd_failed "restarting ovs-vswitchd"
    fi
    n_incarnations=$((n_incarnations + 1))
    incarnation_start=$(date +%s)
}

# soak_flow SRC: a UDP broadcast from Ethernet SRC, for netdev-dummy/receive.
soak_flow() {
    echo "in_port(1),eth(src=$1,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0800)," \
         "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no)," \
         "udp(src=1,dst=2)" | tr -d ' '
}

# soak_hex KIND [KEY=VALUE]... [-- ...]: tests/portsec-packet.py.
soak_hex() {
    /usr/bin/python3 "$ovs/tests/portsec-packet.py" "$@"
}

# soak_rx BRIDGE PORT, soak_tx BRIDGE PORT: the frames PORT received and
# was sent, from its netdev.
soak_rx() {
    ovs-ofctl dump-ports "$1" "$2" | sed -n 's/.*rx pkts=\([0-9]*\).*/\1/p'
}
soak_tx() {
    ovs-ofctl dump-ports "$1" "$2" | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p'
}

# soak_drops BRIDGE PORT: the sum of PORT's "*_drops" counters, as
# port-security/show reports them (0 for a port without settings).
soak_drops() {
    ovs-appctl port-security/show --format=json "$1" \
        | "${PYTHON3:-python3}" -c '
import json
import sys

port = sys.argv[1]
total = 0
for bridge in json.load(sys.stdin).values():
    p = bridge["ports"].get(port, {})
    for value in p.values():
        if isinstance(value, dict):
            total += sum(v for k, v in value.items()
                         if k.endswith("_drops") and isinstance(v, int))
print(total)' "$2"
}

# soak_bindings: br1's DHCP bindings in memory, "PORT MAC IP" sorted.
soak_bindings() {
    ovs-appctl port-security/bindings br1 \
        | awk '$5 == "dhcp" { print $1, $3, $4 }' | sort
}

# soak_db_bindings: the same from the IP_Source_Binding table.
soak_db_bindings() {
    {
        ovs-vsctl --format=csv --data=bare --no-headings \
                  --columns=_uuid,name list Port | sed 's/^/port,/'
        ovs-vsctl --format=csv --data=bare --no-headings \
                  --columns=port,mac,ip find IP_Source_Binding source=dhcp
    } | awk -F, '$1 == "port" { name[$2] = $3; next }
                 { print ($1 in name ? name[$1] : "?" $1), $2, $3 }' | sort
}

# soak_e1_state: e1's state in memory, then its err_disabled:cause (or
# "none") in the database.
soak_e1_state() {
    echo "$(port_security_show e1 state br2)" \
         "$(ovs-vsctl --if-exists get Port e1 err_disabled:cause || true)"
}

# soak_expect_bindings WHAT EXPECTED GOT: PASS if the bindings GOT
# ("PORT MAC IP" lines) are those EXPECTED, else FAIL and the difference.
soak_expect_bindings() {
    if [ "$3" = "$2" ]; then
        pass "$1 ($(echo "$2" | grep -c . || true))"
    else
        fail "$1"
        diff <(echo "$2") <(echo "$3") | head -10
    fi
}

# soak_wait_for COMMAND EXPECTED: waits up to 15 s (three statistics
# updates) for the output of COMMAND (evaluated) to be EXPECTED; prints it.
soak_wait_for() {
    local got
    for _ in $(seq 30); do
        got=$(eval "$1" 2> /dev/null || true)
        if [ "$got" = "$2" ]; then
            break
        fi
        sleep 0.5
    done
    echo "$got"
}

# The senders.  Each runs in the background until $dir/stop exists (or
# $dir does not); while $dir/pause exists, it finishes what it was
# sending, writes what it sent since it last resumed into
# $dir/paused.NAME and waits.

# soak_pause_point NAME STATE: the pause protocol, for sender NAME whose
# counts are STATE; returns true if the sender must reset its counts.
soak_pause_point() {
    if [ ! -e "$dir/pause" ]; then
        return 1
    fi
    echo "$2" > "$dir/paused.$1.tmp"
    mv "$dir/paused.$1.tmp" "$dir/paused.$1"
    while [ -e "$dir/pause" ] && [ ! -e "$dir/stop" ]; do
        sleep 0.1
    done
    rm -f "$dir/paused.$1"
    return 0
}

# soak_idle NAME: a sender NAME that SOAK_SENDERS leaves out: it sends
# nothing, but pauses as the others do.
soak_idle() {
    local state
    case $1 in
        flood) state="f1 0 errors 0" ;;
        dhcp) state="d 0 s 0 errors 0" ;;
        config) state="changes 0 errors 0" ;;
    esac
    while [ -d "$dir" ] && [ ! -e "$dir/stop" ]; do
        soak_pause_point "$1" "$state" || sleep 0.1
    done
}

# soak_flood: 32 broadcasts at a time on f1, each from a random source
# MAC.
soak_flood() {
    local sent=0 errors=0 args i mac flow
    flow=$(soak_flow SRC)
    while [ -d "$dir" ] && [ ! -e "$dir/stop" ]; do
        if soak_pause_point flood "f1 $sent errors $errors"; then
            sent=0 errors=0
            continue
        fi
        args=()
        for ((i = 0; i < batch; i++)); do
            printf -v mac '0a:%02x:%02x:%02x:%02x:%02x' $((RANDOM & 255)) \
                $((RANDOM & 255)) $((RANDOM & 255)) $((RANDOM & 255)) \
                $((RANDOM & 255))
            args+=("${flow/SRC/$mac}")
        done
        if ovs-appctl netdev-dummy/receive f1 "${args[@]}" > /dev/null 2>&1
        then
            sent=$((sent + batch))
        else
            errors=$((errors + 1))
        fi
    done
}

# soak_dhcp: DHCP churn on br1.  Client I, on port d(I % 4 + 1), has MAC
# 0a:01:00:00:00:I and leases 10.1.0.I+2 from the server (0a:00:00:00:00:fe
# on s).  Each step picks a client: one without a lease gets one (request
# from the client, ack from the server); one with a lease releases it,
# or, one time in three, renews it.  Keeps in $dir/leases the leases that
# it granted and did not release, "PORT MAC IP" sorted, when it pauses.
soak_dhcp() {
    local sent_d=0 sent_s=0 errors=0 bound=() i port
    for ((i = 0; i < clients; i++)); do
        bound[i]=0
    done
    while [ -d "$dir" ] && [ ! -e "$dir/stop" ]; do
        for ((i = 0; i < clients; i++)); do
            if [ "${bound[i]}" = 1 ]; then
                echo "d$((i % 4 + 1)) ${mac[i]} ${ip[i]}"
            fi
        done | sort > "$dir/leases"
        if soak_pause_point dhcp "d $sent_d s $sent_s errors $errors"; then
            sent_d=0 sent_s=0 errors=0
            continue
        fi
        i=$((RANDOM % clients))
        port=d$((i % 4 + 1))
        if [ "${bound[i]}" = 0 ] || [ $((RANDOM % 3)) = 0 ]; then
            if ovs-appctl netdev-dummy/receive "$port" "${request[i]}" \
                   > /dev/null 2>&1 \
               && ovs-appctl netdev-dummy/receive s "${ack[i]}" \
                   > /dev/null 2>&1; then
                sent_d=$((sent_d + 1)) sent_s=$((sent_s + 1))
                bound[i]=1
            else
                errors=$((errors + 1))
            fi
        elif ovs-appctl netdev-dummy/receive "$port" "${release[i]}" \
                 > /dev/null 2>&1; then
            sent_d=$((sent_d + 1))
            bound[i]=0
        else
            errors=$((errors + 1))
        fi
    done
}

# soak_config: configuration churn on br0, a change every 0.2 s or so.
soak_config() {
    local changes=0 errors=0 step=0 tmp=0 cmd sp=security_policy
    local dflt=other_config:port-security ft=(reject accept) uu=(true false)
    while [ -d "$dir" ] && [ ! -e "$dir/stop" ]; do
        if soak_pause_point config "changes $changes errors $errors"; then
            changes=0 errors=0
            continue
        fi
        step=$((step + 1))
        case $((RANDOM % 7)) in
            0) cmd=(set Port f1 $sp:storm_control_multicast=1000) ;;
            1) cmd=(remove Port f1 $sp storm_control_multicast) ;;
            2) cmd=(set Port c1 "$sp:forged_transmits=${ft[RANDOM & 1]}"
                    "$sp:unknown_unicast_flooding=${uu[RANDOM & 1]}") ;;
            3) cmd=(set Port c2 mac_learn_limit=$((RANDOM % 10))
                    -- set Port c3
                       $sp:storm_control_broadcast=$((RANDOM % 1000 + 1))) ;;
            4) if [ $tmp = 0 ]; then
                   cmd=(add-port br0 t1 -- set Interface t1 type=dummy
                        -- set Port t1 mac_learn_limit=4
                           $sp:arp_inspection=true)
                   tmp=1
               else
                   cmd=(del-port br0 t1)
                   tmp=0
               fi ;;
            5) cmd=(set Bridge br0 $dflt-unknown_unicast_flooding=false
                    $dflt-mac_learn_limit=$((RANDOM % 100 + 20))) ;;
            6) cmd=(remove Bridge br0 other_config
                        port-security-unknown_unicast_flooding
                    -- remove Bridge br0 other_config
                        port-security-mac_learn_limit) ;;
        esac
        if ovs-vsctl --timeout=20 "${cmd[@]}" > /dev/null 2>&1; then
            changes=$((changes + 1))
        else
            errors=$((errors + 1))
        fi
        sleep 0.2
    done
}

# soak_rss_sample: appends "SECONDS INCARNATION AGE RSS_BYTES" to
# $dir/rss.
soak_rss_sample() {
    local now rss
    now=$(date +%s)
    rss=$(awk '$1 == "VmRSS:" { print $2 * 1024 }' \
              "/proc/$vswitchd_pid/status" 2> /dev/null || true)
    if [ -n "$rss" ]; then
        echo "$((now - soak_start)) $n_incarnations" \
             "$((now - incarnation_start)) $rss" >> "$dir/rss"
    fi
}

# soak_check_alive: FAIL and stop if ovs-vswitchd exited by itself.
soak_check_alive() {
    if ! kill -0 "$vswitchd_pid" 2> /dev/null; then
        fail "ovs-vswitchd (incarnation $n_incarnations) is running"
        tail -20 "$dir/ovs-vswitchd.log"
        return 1
    fi
}

# soak_pause: pauses the senders and reads what each sent into
# sent_f1, sent_d, sent_s, n_config, n_errors.
soak_pause() {
    local name
    touch "$dir/pause"
    for name in flood dhcp config; do
        for _ in $(seq 600); do
            if [ -e "$dir/paused.$name" ]; then
                break
            fi
            sleep 0.1
        done
        if [ ! -e "$dir/paused.$name" ]; then
            fail "the $name sender paused"
            return 1
        fi
    done
    read -r _ sent_f1 _ flood_errors < "$dir/paused.flood"
    read -r _ sent_d _ sent_s _ dhcp_errors < "$dir/paused.dhcp"
    read -r _ n_config _ config_errors < "$dir/paused.config"
}

# soak_resume: the senders start a new interval.
soak_resume() {
    rm -f "$dir/pause"
}

# soak_interval_checks: the checks at the end of an interval (senders
# paused, ovs-vswitchd still running).
soak_interval_checks() {
    local n=$n_incarnations rx_f1 rx_e1 rx_d=0 rx_s drops_f1 drops_e1 \
          tx_f2 tx_g2 db_drops mem_bindings db_bindings leases state p what

    # Frames that the datapath cached flows handled are counted when the
    # revalidators push their statistics.
    ovs-appctl revalidator/wait
    ovs-appctl revalidator/wait
    rx_f1=$(soak_rx br0 f1)
    rx_e1=$(soak_rx br2 e1)
    for p in d1 d2 d3 d4; do
        rx_d=$((rx_d + $(soak_rx br1 $p)))
    done
    rx_s=$(soak_rx br1 s)
    tx_f2=$(soak_tx br0 f2)
    tx_g2=$(soak_tx br2 g2)
    drops_f1=$(soak_drops br0 f1)
    drops_e1=$(soak_drops br2 e1)
    say "interval $n: f1 sent $sent_f1, received $rx_f1, dropped $drops_f1;" \
        "f2 got $tx_f2; e1 sent $sent_e1, received $rx_e1, dropped" \
        "$drops_e1, g2 got $tx_g2; DHCP sent $sent_d + $sent_s," \
        "received $rx_d + $rx_s;" \
        "$n_config configuration changes; errors: flood $flood_errors," \
        "dhcp $dhcp_errors, config $config_errors"
    say "memory: $(ovs-appctl memory/show | tr '\n' ' ')"
    total_sent=$((total_sent + sent_f1 + sent_e1))
    total_dhcp=$((total_dhcp + sent_d + sent_s))
    total_fwd=$((total_fwd + tx_f2 + tx_g2))
    total_drops=$((total_drops + drops_f1 + drops_e1))
    total_changes=$((total_changes + n_config))
    if [ "$rx_f1" = "$sent_f1" ] && [ "$rx_e1" = "$sent_e1" ] \
       && [ "$rx_d" = "$sent_d" ] && [ "$rx_s" = "$sent_s" ]; then
        pass "interval $n: every frame sent was received"
    else
        fail "interval $n: every frame sent was received"
    fi
    what="interval $n: f1's $rx_f1 frames = forwarded ($tx_f2)"
    check "$what + counted drops ($drops_f1)" \
        [ "$rx_f1" = $((tx_f2 + drops_f1)) ]
    what="interval $n: e1's $rx_e1 frames = forwarded ($tx_g2)"
    check "$what + counted drops ($drops_e1)" \
        [ "$rx_e1" = $((tx_g2 + drops_e1)) ]
    if [ $((flood_errors + dhcp_errors + config_errors)) = 0 ]; then
        pass "interval $n: every command of the senders succeeded"
    else
        fail "interval $n: every command of the senders succeeded"
    fi

    # The database's copy of the counters, at the next statistics update.
    db_drops=$(soak_wait_for \
        "ovs-vsctl get Port f1 security_statistics:learn_limit_drops" \
        "$(counter f1 learn_limit_drops)")
    expect_equal "interval $n: f1's learn_limit_drops in the database" \
        "$db_drops" "$(counter f1 learn_limit_drops)"

    # The bindings.
    leases=$(cat "$dir/leases")
    mem_bindings=$(soak_bindings)
    what="interval $n: the bindings are the leases granted and not released"
    soak_expect_bindings "$what" "$leases" "$mem_bindings"
    db_bindings=$(soak_wait_for soak_db_bindings "$leases")
    what="interval $n: IP_Source_Binding has the same bindings"
    soak_expect_bindings "$what" "$leases" "$db_bindings"

    state=$(soak_wait_for soak_e1_state "$e1_expected")
    expect_equal "interval $n: e1 (state, err_disabled:cause)" "$state" \
        "$e1_expected"
    bindings_before=$mem_bindings
}

# soak_e1_step: at the start of interval $n_incarnations, two frames from
# two MACs on e1: in an odd interval, the second one err-disables it; in
# an even one, both are dropped (it is still err-disabled from the last
# interval, across the restart), then it is recovered.
soak_e1_step() {
    local i
    for i in 1 2; do
        ovs-appctl netdev-dummy/receive e1 "$(soak_flow 0a:0e:00:00:00:0$i)" \
            > /dev/null
    done
    sent_e1=2
    if [ $((n_incarnations % 2)) = 1 ]; then
        e1_expected="err-disabled mac_learn_limit"
    else
        # The second frame took the drop megaflow that the first one made,
        # and the recovery may be revalidated before the revalidators push
        # its statistics: it still counts as dropped (hook 0007).
        ovs-appctl port-security/recover e1 > /dev/null
        e1_expected="forwarding "
    fi
}

# soak_restart_checks: after a restart, the state came back.
soak_restart_checks() {
    local n=$n_incarnations state bindings
    bindings=$(soak_wait_for soak_bindings "$bindings_before")
    soak_expect_bindings "restart $((n - 1)): the bindings came back" \
        "$bindings_before" "$bindings"
    state=$(soak_wait_for soak_e1_state "$e1_expected")
    expect_equal "restart $((n - 1)): e1 (state, err_disabled:cause)" \
        "$state" "$e1_expected"
}

# soak_fit FILTER: least-squares slope, in bytes per minute, of the RSS
# samples ("X RSS" lines, X in seconds) on standard input.
soak_fit() {
    awk '{ n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
         END {
             d = n * sxx - sx * sx
             s = (n > 1 && d != 0) ? (n * sxy - sx * sy) / d * 60 : 0
             printf "%.0f\n", s
         }'
}

# soak_rss_report: the slopes.
soak_rss_report() {
    local i slope slopes=() last what
    section "RSS of ovs-vswitchd"
    # An incarnation with fewer than 3 samples after its warm-up (the
    # last one may be short) gives no slope.
    for ((i = 1; i <= n_incarnations; i++)); do
        awk -v i=$i -v w="$warmup" '$2 == i && $3 >= w { print $3, $4 }' \
            "$dir/rss" > "$dir/rss.$i"
        last=$(awk -v i=$i '$2 == i { rss = $4 } END { print rss }' "$dir/rss")
        if [ "$(wc -l < "$dir/rss.$i")" -lt 3 ]; then
            say "incarnation $i: last RSS $last B, too short for a slope"
            continue
        fi
        slope=$(soak_fit < "$dir/rss.$i")
        say "incarnation $i: $(wc -l < "$dir/rss.$i") samples after" \
            "${warmup} s, last RSS $last B, slope $slope B/min"
        slopes+=("$slope")
        # Its median RSS after the warm-up, at its time in the soak.
        awk -v i=$i '$2 == i { print $1 }' "$dir/rss" | median \
            | tr '\n' ' ' >> "$dir/rss.medians"
        awk '{ print $2 }' "$dir/rss.$i" | median >> "$dir/rss.medians"
    done
    median_slope=$(printf '%s\n' "${slopes[@]}" | median)
    # The slope within incarnations, fitted over all their samples after
    # the warm-up at once, each incarnation about its own mean ("fixed
    # effects"), and the longest time after a warm-up that it rests on.
    read -r within_slope span < <(awk -v w="$warmup" '
        $3 < w { next }
        FNR == NR { n[$2]++; sx[$2] += $3; sy[$2] += $4; next }
        {
            dx = $3 - sx[$2] / n[$2]; dy = $4 - sy[$2] / n[$2]
            sxx += dx * dx; sxy += dx * dy
            if ($3 - w > span) span = $3 - w
        }
        END { printf "%.0f %d\n", sxx ? sxy / sxx * 60 : 0, span }' \
        "$dir/rss" "$dir/rss")
    # The incarnations' median RSS after the warm-up, over the soak: what
    # restarts do not reset (the database's growth, for one).  Fitted with
    # the median of the slopes between every two incarnations (Theil-Sen),
    # not least squares: how many megaflows a flood leaves, and so RSS,
    # follows the machine's load, and an incarnation or two under a burst
    # of load would otherwise make the slope.
    across_slope=$(awk '{ x[NR] = $1; y[NR] = $2 }
        END {
            for (i = 1; i <= NR; i++) {
                for (j = i + 1; j <= NR; j++) {
                    if (x[j] != x[i]) {
                        printf "%.0f\n", (y[j] - y[i]) / (x[j] - x[i]) * 60
                    }
                }
            }
        }' "$dir/rss.medians" | median)
    across_slope=${across_slope:-0}
    say "slope within an incarnation: $within_slope B/min (median of" \
        "the incarnations' own: $median_slope B/min)"
    say "slope of the incarnations' median RSS: $across_slope B/min"
    # Over less than SOAK_MIN_FIT_SECONDS after its warm-up, RSS within an
    # incarnation is still rising to the high-water mark of its caches
    # (megaflows, MAC tables, bindings restored, malloc's arenas), and
    # its slope says nothing about a leak: restart less often to test it.
    what="RSS slope within an incarnation"
    if [ "$span" -lt "$min_fit" ]; then
        skip "$what (only $span s after the warm-up," \
             "SOAK_MIN_FIT_SECONDS=$min_fit)"
    else
        check "$what ($within_slope B/min) < $max_slope B/min" \
            [ "$within_slope" -lt "$max_slope" ]
    fi
    what="RSS slope across incarnations"
    check "$what ($across_slope B/min) < $max_slope B/min" \
        [ "$across_slope" -lt "$max_slope" ]
}

# soak_cleanup: stops the senders and the daemons.
soak_cleanup() {
    local pid
    touch "$soak_dir/stop"
    for pid in $soak_sender_pids; do
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
    ovs-appctl -t ovs-vswitchd exit 2> /dev/null || true
    ovs-appctl -t ovsdb-server exit 2> /dev/null || true
}

bench_soak() {
    local ovs=$1 dir=$sandbox/soak i pid now next_restart
    local seconds=${SOAK_SECONDS:-600} period=${SOAK_RESTART_SECONDS:-60}
    local clients=${SOAK_CLIENTS:-64} sample=${SOAK_SAMPLE_SECONDS:-5}
    local warmup=${SOAK_WARMUP_SECONDS:-20}
    local max_slope=${SOAK_MAX_SLOPE:-1048576}
    local min_fit=${SOAK_MIN_FIT_SECONDS:-120}
    local senders=${SOAK_SENDERS:-flood dhcp config}
    local n_incarnations=0 incarnation_start soak_start
    local sent_f1 sent_e1=0 sent_d sent_s n_config flood_errors dhcp_errors \
          config_errors e1_expected="forwarding " bindings_before="" \
          total_sent=0 total_fwd=0 total_drops=0 total_changes=0 total_dhcp=0 \
          median_slope within_slope across_slope span
    local mac=() ip=() request=() ack=() release=() hex

    echo "Soak: ${seconds} s of a MAC flood, DHCP churn ($clients clients)" \
         "and configuration churn, ovs-vswitchd restarted every ${period} s"
    start_daemons "$dir" "$ovs"
    trap soak_cleanup EXIT
    incarnation_start=$(date +%s)
    soak_start=$incarnation_start
    n_incarnations=1

    # Each frame of the flood is a new megaflow, and how many the datapath
    # holds (up to 10,000 in 10 s of max-idle) followed the machine's load,
    # and RSS with it, by tens of MB: the flow limit keeps them to 2,000,
    # beyond which frames are handled by upcalls, counted all the same.
    vsctl set Open_vSwitch . other_config:flow-limit=2000
    vsctl add-br br0 -- set Bridge br0 datapath_type=dummy \
        fail-mode=standalone \
        -- add-port br0 f1 -- set Interface f1 type=dummy ofport_request=1 \
        -- set Port f1 mac_learn_limit=16 mac_learn_limit_policy=drop \
        -- add-port br0 f2 -- set Interface f2 type=dummy ofport_request=2 \
        -- add-port br0 c1 -- set Interface c1 type=dummy ofport_request=3 \
        -- add-port br0 c2 -- set Interface c2 type=dummy \
        -- add-port br0 c3 -- set Interface c3 type=dummy \

    vsctl add-br br2 -- set Bridge br2 datapath_type=dummy \
        fail-mode=standalone \
        -- add-port br2 e1 -- set Interface e1 type=dummy ofport_request=1 \
        -- set Port e1 mac_learn_limit=1 mac_learn_limit_policy=shutdown \
           security_policy:persist_err_disabled=true \
           security_policy:recovery_interval=0 \
        -- add-port br2 g2 -- set Interface g2 type=dummy ofport_request=2
    vsctl add-br br1 -- set Bridge br1 datapath_type=dummy \
        fail-mode=standalone \
        -- add-port br1 s -- set Interface s type=dummy ofport_request=1 \
        -- set Port s security_policy:trusted=true
    for i in 1 2 3 4; do
        vsctl add-port br1 d$i -- set Interface d$i type=dummy \
            ofport_request=$((i + 1)) \
            -- set Port d$i security_policy:dhcp_snooping=true \
               security_policy:ip_source_guard=true \
               security_policy:max_bindings=1024 \
               security_policy:dhcp_rate_limit=0
    done

    # The DHCP messages of each client.
    local args=()
    for ((i = 0; i < clients; i++)); do
        printf -v 'mac[i]' '0a:01:00:00:00:%02x' $i
        ip[i]=10.1.0.$((i + 2))
        args+=(dhcp4 type=request xid=$((i + 1)) src=${mac[i]} --
               dhcp4 type=ack xid=$((i + 1)) chaddr=${mac[i]} yiaddr=${ip[i]}
               lease=3600 server_id=10.1.0.1 src=0a:00:00:00:00:fe --
               dhcp4 type=release xid=$((i + 100000)) src=${mac[i]}
               sip=${ip[i]} ciaddr=${ip[i]} dip=10.1.0.1 --)
    done
    unset 'args[${#args[@]}-1]'
    i=0
    while read -r hex; do
        case $((i % 3)) in
            0) request[i / 3]=$hex ;;
            1) ack[i / 3]=$hex ;;
            2) release[i / 3]=$hex ;;
        esac
        i=$((i + 1))
    done < <(soak_hex "${args[@]}")
    : > "$dir/leases"
    : > "$dir/rss"

    soak_e1_step
    soak_dir=$dir
    for i in flood dhcp config; do
        case " $senders " in
            *" $i "*) "soak_$i" & ;;
            *) soak_idle $i & ;;
        esac
        soak_sender_pids="$soak_sender_pids $!"
    done

    next_restart=$((soak_start + period))
    while :; do
        now=$(date +%s)
        if [ "$now" -ge "$next_restart" ] \
           || [ "$now" -ge $((soak_start + seconds)) ]; then
            soak_check_alive || return 1
            soak_pause || return 1
            section "Interval $n_incarnations ($((now - soak_start)) s)"
            soak_interval_checks
            if [ "$now" -ge $((soak_start + seconds)) ]; then
                break
            fi
            soak_rss_sample
            ovs-appctl -t ovs-vswitchd exit
            for _ in $(seq 100); do
                kill -0 "$vswitchd_pid" 2> /dev/null || break
                sleep 0.1
            done
            soak_start_vswitchd
            soak_restart_checks
            soak_e1_step
            next_restart=$((next_restart + period))
            soak_resume
        fi
        soak_check_alive || return 1
        soak_rss_sample
        sleep "$sample"
    done

    soak_rss_report
    section "Log"
    local errors
    errors=$(grep -c '|ERR|\||EMER|' "$dir/ovs-vswitchd.log" || true)
    if [ "$errors" = 0 ]; then
        pass "ovs-vswitchd logged no ERR or EMER message"
    else
        fail "ovs-vswitchd logged no ERR or EMER message ($errors)"
        grep '|ERR|\||EMER|' "$dir/ovs-vswitchd.log" | head -10
    fi

    section "Summary"
    say "$seconds s, $n_incarnations incarnations of ovs-vswitchd" \
        "($((n_incarnations - 1)) restarts)"
    say "frames sent on f1 and e1: $total_sent, forwarded $total_fwd," \
        "counted drops $total_drops; DHCP messages $total_dhcp;" \
        "$total_changes configuration changes"
    say "RSS slope: $within_slope B/min within an incarnation," \
        "$across_slope B/min across incarnations"
    say "checks: $n_pass passed, $n_fail failed, $n_skip skipped"
    if [ "$n_fail" != 0 ]; then
        echo "FAIL: soak"
        return 1
    fi
    echo "PASS: soak"
}
