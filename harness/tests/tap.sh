# tap.sh: the TAP line every *.t.sh prints (sourced): ok STATUS DESCRIPTION, numbered in $n.
n=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
