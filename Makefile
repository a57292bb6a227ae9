# SPDX-License-Identifier: GPL-2.0
#
# drlb: `make` builds ./drlb.ko and tools/drctl/drctl; `make check` runs
# every test (see README.md).

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
DEPS := $(TOP)/scripts/setup-deps
VERSION := $(shell sed -n 's/^\#define DRLB_VERSION[[:space:]]*"\(.*\)"/\1/p' $(TOP)/src/drlb.h)
# The release the headers in KDIR are for (Debian's kernel.release may differ).
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/updates

.PHONY: all module drctl deps compile-check style-check drctl-check kunit e2e check lab bench \
	install uninstall dkms-install dkms-uninstall deb clean help

all: module drctl

deps:
	@$(DEPS)

module: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules
	$(TOP)/scripts/module-btf $(KDIR) $(TOP)/drlb.ko

drctl: deps
	$(MAKE) -C $(TOP)/tools/drctl

compile-check: deps
	$(TOP)/scripts/compile-check

style-check: deps
	$(TOP)/scripts/style-check

drctl-check: deps
	$(MAKE) -C $(TOP)/tools/drctl check

kunit: deps
	$(TOP)/scripts/run-kunit

e2e: deps
	$(TOP)/scripts/run-e2e

check: deps
	$(TOP)/scripts/check

# make lab [SCENARIO=basic|weights|drain|failover|arp|ecmp|vrrp] [LAB_FLAGS=--interactive|--vms|--xdp]
lab: deps
	$(TOP)/scripts/lab $(LAB_FLAGS) $(SCENARIO)

# drlb against IPVS DR and the floors, side by side (BENCH_ROUNDS, default 6).
bench: deps
	$(TOP)/bench/run $(BENCH_ROUNDS)

# make install [KDIR=...] [DESTDIR=...]: drlb.ko to /lib/modules/KVER/updates,
# drctl and drlbd, their man pages, the systemd units and (unless there) their /etc files.
install: all
	install -D -m 0644 $(TOP)/drlb.ko $(MODDIR)/drlb.ko
	[ -n "$(DESTDIR)" ] || depmod $(KVER)
	$(MAKE) -C $(TOP)/tools/drctl install
	$(MAKE) -C $(TOP)/tools/drlbd install

uninstall:
	rm -f $(MODDIR)/drlb.ko
	[ -n "$(DESTDIR)" ] || depmod $(KVER)
	$(MAKE) -C $(TOP)/tools/drctl uninstall
	$(MAKE) -C $(TOP)/tools/drlbd uninstall

# DKMS from this checkout: /usr/src/drlb-VERSION, built and installed for
# every kernel whose headers are installed.
dkms-install: deps
	$(TOP)/scripts/dkms-install

dkms-uninstall:
	-dkms remove drlb/$(VERSION) --all
	rm -rf /usr/src/drlb-$(VERSION)

# The Debian packages drlb-dkms and drctl, in .build/deb/.
deb: deps
	$(TOP)/scripts/build-deb

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C $(TOP)/tools/drctl clean
	rm -rf $(TOP)/.build

help:
	@echo "make            build drlb.ko (KDIR=$(KDIR)) and drctl"
	@echo "make check      every test: compile-check, drctl tests, KUnit, e2e, packages"
	@echo "make install|uninstall   module (KDIR), drctl, man page, systemd units"
	@echo "make dkms-install|dkms-uninstall   drlb under DKMS for every installed kernel"
	@echo "make deb        Debian packages drlb-dkms and drctl in .build/deb/"
	@echo "make lab        the DR lab in a VM: client, director, three real servers"
	@echo "                SCENARIO=basic|weights|drain|failover|arp|ecmp|vrrp, LAB_FLAGS=--interactive|--vms|--xdp"
	@echo "make bench      drlb against IPVS DR and the floors (BENCH_ROUNDS=6)"
	@echo "make kunit|e2e|compile-check|style-check|drctl-check   one part of check"
