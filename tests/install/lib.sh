# Shared by the install tests (sourced): result helpers, and for the root
# parts a namespace with veth pairs and srchaind run the way
# srchaind@.service runs it.

pass=0 fail=0
ok() { echo "${INDENT:-  }ok   $1"; pass=$((pass + 1)); }
bad() { echo "${INDENT:-  }FAIL $1"; fail=$((fail + 1)); }
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# free_ids ID...: 0 if no account or group uses any of the numeric ids
free_ids() {
	local id
	for id in "$@"; do
		getent passwd "$id" >/dev/null || getent group "$id" >/dev/null && return 1
	done
	return 0
}

# make_ns NS IF...: namespace NS with a veth pair IF <-> p_IF per IF, all up,
# IP forwarding off (as srchaind requires)
make_ns() {
	local ns=$1 i
	shift
	ip netns add "$ns" || return 1
	for i in "$@"; do
		ip -n "$ns" link add "$i" type veth peer name "p_$i" &&
			ip -n "$ns" link set "$i" up && ip -n "$ns" link set "p_$i" up || return 1
	done
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.forwarding=0 \
		net.ipv6.conf.all.forwarding=0 >/dev/null
}

# unit_value UNIT KEY: the value of KEY= in the unit
unit_value() { sed -n "s/^$2=//p" "$1"; }

# as_unit NS UID MEMLOCK CAP... -- CMD...: CMD in NS as UID (its own group,
# no others) with only these capabilities (ambient, bounding set), no new
# privileges, locked-memory limit MEMLOCK bytes
as_unit() {
	local ns=$1 uid=$2 ml=$3 set=
	shift 3
	while [ "$1" != -- ]; do
		set="$set${set:+,}+$(echo "${1#CAP_}" | tr 'A-Z' 'a-z')"
		shift
	done
	shift
	ip netns exec "$ns" prlimit --memlock="$ml:$ml" setpriv --reuid="$uid" --regid="$uid" \
		--clear-groups --inh-caps="${set:--all}" --ambient-caps="${set:--all}" \
		--bounding-set="-all${set:+,$set}" --no-new-privs "$@"
}
