# SPDX-License-Identifier: GPL-2.0
#
# drlb: `make` builds ./drlb.ko and tools/drctl/drctl; `make check` runs
# every test (see README.md).

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
DEPS := $(TOP)/scripts/setup-deps

.PHONY: all module drctl deps compile-check style-check drctl-check kunit e2e check lab bench \
	install uninstall clean help

all: module drctl

deps:
	@$(DEPS)

module: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules

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

# make lab [SCENARIO=basic|weights|drain|failover|arp] [LAB_FLAGS=--interactive|--vms]
lab: deps
	$(TOP)/scripts/lab $(LAB_FLAGS) $(SCENARIO)

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(KDIR))) || depmod -a
	$(MAKE) -C $(TOP)/tools/drctl install

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C $(TOP)/tools/drctl clean
	rm -rf $(TOP)/.build

help:
	@echo "make            build drlb.ko (KDIR=$(KDIR)) and drctl"
	@echo "make check      every test: compile-check, drctl tests, KUnit, e2e"
	@echo "make lab        the DR lab in a VM: client, director, three real servers"
	@echo "                SCENARIO=basic|weights|drain|failover|arp, LAB_FLAGS=--interactive|--vms"
	@echo "make kunit|e2e|compile-check|style-check|drctl-check   one part of check"
