# SPDX-License-Identifier: GPL-2.0
# A service's health check is configuration the module keeps for drlbd:
# drctl check set stores it (the module refuses what drlbd could not run,
# with its reason), check show and service show print it, save writes it
# in the words check set takes (quotes included) and restore brings it
# back; check del removes it.
run_case()
{
	local saved
	lab_up
	lab_service tcp 80
	lab_service udp 53
	drctl check set tcp "$VIP:80" http path /health fall 2 interval 0.5 timeout 0.25 \
		on-down expire quorum 2 quorum-down "logger 'no quorum'" ||
		fail "check set http"
	drctl check set udp "$VIP:53" dns query ok.test || fail "check set dns"
	expect_eq "check show" "$(drctl check show tcp "$VIP:80" | head -1)" \
		"tcp $VIP:http  http path /health interval 0.5 timeout 0.25 fall 2 on-down expire quorum 2 quorum-down 'logger '\\''no quorum'\\'''"
	expect_eq "backends under check show" "$(drctl check show tcp "$VIP:80" | grep -c '^  -> 10\.0\.0\.1[123] .*unchecked')" 3
	expect_eq "check show -j" "$(drctl -j check show | json '" ".join(sorted(c["check"].split()[0] for c in d))')" "dns http"
	drctl service show | grep -qE "^TCP +$VIP:http +rr .* http$" || fail "no Check column: $(drctl service show | head -3)"
	# Refused with what is wrong, and nothing changes.
	expect_run 2 "timeout: 2 s is longer than the interval, 1 s" \
		drctl check set tcp "$VIP:80" tcp interval 1 timeout 2
	expect_run 1 "no such service" drctl check set tcp "$VIP:81" tcp
	expect_eq "the check after refusals" "$(drctl -j check show tcp "$VIP:80" | json 'd[0]["check"].split()[0]')" http
	saved=$(drctl save)
	grep -qF "check set tcp $VIP:80 http path /health interval 0.5 timeout 0.25 fall 2 on-down expire quorum 2 quorum-down 'logger '\\''no quorum'\\'''" <<< "$saved" ||
		fail "save has no check line: $saved"
	drctl flush || fail "flush"
	drctl restore <<< "$saved" || fail "restore"
	expect_eq "save, restore, save" "$(drctl save)" "$saved"
	drctl check del tcp "$VIP:80" || fail "check del"
	expect_eq "checks after del" "$(drctl -j check show | json 'len(d)')" 1
	drctl flush
	return 0
}
