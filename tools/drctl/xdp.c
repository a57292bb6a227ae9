// SPDX-License-Identifier: GPL-2.0
/*
 * drctl xdp attach|detach|show: drlb's XDP fast path (src/xdp/drlb.bpf.c,
 * built into drctl as a libbpf skeleton) on the devices VIP traffic comes
 * in on. The program asks drlb.ko's kfunc where each packet goes, so it
 * needs the module loaded and with BTF; it is attached over rtnetlink, as
 * ip link set DEV xdp does: the device holds it, drctl exits, and nothing
 * has to be pinned in a bpffs that a namespace's mounts may not share.
 * drctl replaces or removes only its own program (by its name), never
 * another one's.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dispatch.h"
#include "drlb.skel.h"
#include "msg.h"
#include "output.h"
#include "xdp.h"

/* The program's name in the kernel: the function's, cut to 15 characters. */
#define DRLB_XDP_PROG	"drlb_xdp"
#define LIBBPF_MSG_MAX	512

const char xdp_usage[] =
	"drctl xdp attach DEV [native|generic]\n"
	"drctl xdp detach DEV\n"
	"drctl xdp show [DEV]\n";

/* What runs at a device's XDP hook. */
struct xdp_state {
	uint32_t id;		/* 0: nothing */
	uint32_t mode;		/* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
	char name[BPF_OBJ_NAME_LEN];
	bool ours;
};

/* libbpf's last message, for the line drctl prints when loading fails. */
static char libbpf_msg[LIBBPF_MSG_MAX];

static int libbpf_keep(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	size_t len;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(libbpf_msg, sizeof(libbpf_msg), fmt, ap);
	len = strlen(libbpf_msg);
	while (len && libbpf_msg[len - 1] == '\n')
		libbpf_msg[--len] = '\0';
	return 0;
}

static const char *mode_name(uint32_t mode)
{
	return mode == XDP_FLAGS_SKB_MODE ? "generic" : "native";
}

static int xdp_state_get(int ifindex, struct xdp_state *st)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int fd, err;

	memset(st, 0, sizeof(*st));
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		return err;
	if (q.attach_mode == XDP_ATTACHED_NONE)
		return 0;
	st->id = q.drv_prog_id ?: q.skb_prog_id ?: q.hw_prog_id ?: q.prog_id;
	st->mode = q.drv_prog_id ? XDP_FLAGS_DRV_MODE :
		   q.skb_prog_id ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_HW_MODE;
	fd = bpf_prog_get_fd_by_id(st->id);
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return err;
	memcpy(st->name, info.name, sizeof(st->name));
	st->ours = !strcmp(st->name, DRLB_XDP_PROG) && st->mode != XDP_FLAGS_HW_MODE;
	return 0;
}

/* DEV's index, or 0 after saying there is no such device. */
static int xdp_ifindex(struct drctl *ctx, const char *dev)
{
	int ifindex = if_nametoindex(dev);

	if (!ifindex)
		drctl_err(ctx, "no device %s in this network namespace", dev);
	return ifindex;
}

/*
 * A frame sent into a veth from XDP waits for the peer's NAPI instance:
 * veth wakes it after XDP_TX only when the peer runs an XDP program
 * (veth_xdp_flush()), after a redirect when it has NAPI at all (GRO).
 */
static void xdp_note_veth(struct drctl *ctx, const char *dev)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { .ifr_data = (void *)&info };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (!ioctl(fd, SIOCETHTOOL, &ifr) && !strcmp(info.driver, "veth"))
		drctl_warn(ctx, "%s is a veth: its peer must run an XDP program (an XDP_PASS one will do) to take the frames drlb sends back out of it, and GRO (ethtool -K PEER gro on) for those redirected into it",
			   dev);
	close(fd);
}

/* drlb.ko loaded, and with BTF: else its kfunc does not exist. */
static int xdp_module_ready(struct drctl *ctx)
{
	if (access("/sys/module/drlb", F_OK)) {
		drctl_err(ctx, "drlb.ko is not loaded (modprobe drlb): the XDP program calls into it");
		return DRCTL_FAIL;
	}
	if (access("/sys/kernel/btf/drlb", F_OK)) {
		drctl_err(ctx, "drlb.ko has no BTF (/sys/kernel/btf/drlb is missing), so its XDP kfunc does not exist: rebuild it with pahole (package dwarves) installed");
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

static int mode_parse(struct drctl *ctx, int argc, char **argv, uint32_t *mode)
{
	*mode = 0;
	if (!argc)
		return DRCTL_OK;
	if (argc == 1 && !strcmp(argv[0], "native"))
		*mode = XDP_FLAGS_DRV_MODE;
	else if (argc == 1 && !strcmp(argv[0], "generic"))
		*mode = XDP_FLAGS_SKB_MODE;
	if (*mode)
		return DRCTL_OK;
	drctl_err(ctx, "unexpected '%s': the mode is native or generic", argv[0]);
	return DRCTL_USAGE;
}

static int xdp_attach_prog(struct drctl *ctx, const char *dev, int ifindex, uint32_t mode,
			   const struct xdp_state *old)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	uint32_t flags = mode;
	struct drlb_xdp *skel;
	int err, old_fd = -1;

	libbpf_set_print(libbpf_keep);
	skel = drlb_xdp__open_and_load();
	if (!skel) {
		drctl_err(ctx, "cannot load drlb's XDP program (%s)", libbpf_msg);
		return DRCTL_FAIL;
	}
	if (old->id) {
		old_fd = bpf_prog_get_fd_by_id(old->id);
		opts.old_prog_fd = old_fd;
		flags |= XDP_FLAGS_REPLACE;
	} else {
		flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	}
	err = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.drlb_xdp), flags, &opts);
	if (old_fd >= 0)
		close(old_fd);
	drlb_xdp__destroy(skel);
	if (err == -EOPNOTSUPP && mode == XDP_FLAGS_DRV_MODE) {
		drctl_err(ctx, "%s has no native XDP: try drctl xdp attach %s generic", dev, dev);
		return DRCTL_FAIL;
	}
	if (err) {
		drctl_err(ctx, "cannot attach drlb's XDP program to %s: %s", dev, strerror(-err));
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

static int xdp_attach(struct drctl *ctx, int argc, char **argv)
{
	struct xdp_state st;
	uint32_t mode;
	int ifindex, ret;

	if (argc < 1) {
		drctl_err(ctx, "missing DEV: drctl xdp attach DEV [native|generic]");
		return DRCTL_USAGE;
	}
	ret = mode_parse(ctx, argc - 1, argv + 1, &mode);
	if (ret)
		return ret;
	ifindex = xdp_ifindex(ctx, argv[0]);
	if (!ifindex)
		return DRCTL_FAIL;
	ret = xdp_module_ready(ctx);
	if (ret)
		return ret;
	if (xdp_state_get(ifindex, &st)) {
		drctl_err(ctx, "cannot read the XDP program of %s: %m", argv[0]);
		return DRCTL_FAIL;
	}
	if (st.id && !st.ours) {
		drctl_err(ctx, "%s runs another XDP program (%s, id %u): drctl does not replace it",
			  argv[0], st.name, st.id);
		return DRCTL_FAIL;
	}
	/* No mode asked: the one it has, else the driver's own if it has one. */
	if (st.id && mode && mode != st.mode) {
		drctl_err(ctx, "%s runs drlb's XDP program in %s mode: drctl xdp detach %s first",
			  argv[0], mode_name(st.mode), argv[0]);
		return DRCTL_FAIL;
	}
	ret = xdp_attach_prog(ctx, argv[0], ifindex, st.id ? st.mode : mode, &st);
	if (!ret)
		xdp_note_veth(ctx, argv[0]);
	return ret;
}

static int xdp_detach(struct drctl *ctx, int argc, char **argv)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	struct xdp_state st;
	int ifindex, err;

	if (argc != 1) {
		drctl_err(ctx, argc ? "unexpected '%s': drctl xdp detach DEV" :
			  "missing DEV: drctl xdp detach DEV", argc ? argv[1] : "");
		return DRCTL_USAGE;
	}
	ifindex = xdp_ifindex(ctx, argv[0]);
	if (!ifindex)
		return DRCTL_FAIL;
	if (xdp_state_get(ifindex, &st)) {
		drctl_err(ctx, "cannot read the XDP program of %s: %m", argv[0]);
		return DRCTL_FAIL;
	}
	if (!st.id) {
		drctl_err(ctx, "%s runs no XDP program", argv[0]);
		return DRCTL_FAIL;
	}
	if (!st.ours) {
		drctl_err(ctx, "%s runs another XDP program (%s, id %u), not drlb's: drctl leaves it",
			  argv[0], st.name, st.id);
		return DRCTL_FAIL;
	}
	/* Only the program seen: one attached since is left alone. */
	opts.old_prog_fd = bpf_prog_get_fd_by_id(st.id);
	err = bpf_xdp_detach(ifindex, st.mode | XDP_FLAGS_REPLACE, &opts);
	if (opts.old_prog_fd >= 0)
		close(opts.old_prog_fd);
	if (err) {
		drctl_err(ctx, "cannot detach drlb's XDP program from %s: %s", argv[0],
			  strerror(-err));
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

static void xdp_show_one(struct out *o, const char *dev, const struct xdp_state *st)
{
	if (o->opts->json) {
		out_begin_object(o, NULL);
		out_str(o, "dev", dev);
		out_str(o, "mode", st->mode == XDP_FLAGS_HW_MODE ? "offload" : mode_name(st->mode));
		out_str(o, "program", st->name);
		out_u64(o, "id", st->id);
		out_bool(o, "drlb", st->ours);
		out_end_object(o);
		return;
	}
	fprintf(o->f, "%-16s %-8s %-16s %u%s\n", dev,
		st->mode == XDP_FLAGS_HW_MODE ? "offload" : mode_name(st->mode), st->name,
		st->id, st->ours ? "" : "  (not drlb's)");
}

/* Every device with an XDP program, or DEV only: drlb's, and any other one. */
static int xdp_show(struct drctl *ctx, int argc, char **argv)
{
	struct if_nameindex *ifs, *i;
	struct xdp_state st;
	struct out o;
	int ifindex;

	if (argc > 1) {
		drctl_err(ctx, "unexpected '%s': drctl xdp show [DEV]", argv[1]);
		return DRCTL_USAGE;
	}
	ifindex = argc ? xdp_ifindex(ctx, argv[0]) : 0;
	if (argc && !ifindex)
		return DRCTL_FAIL;
	ifs = if_nameindex();
	if (!ifs) {
		drctl_err(ctx, "cannot list the devices: %m");
		return DRCTL_FAIL;
	}
	out_init(&o, ctx);
	if (ctx->opts.json)
		out_begin_array(&o, NULL);
	else
		fprintf(ctx->out, "%-16s %-8s %-16s %s\n", "Device", "Mode", "Program", "Id");
	for (i = ifs; i->if_index; i++) {
		if ((ifindex && (int)i->if_index != ifindex) || xdp_state_get(i->if_index, &st) ||
		    !st.id)
			continue;
		xdp_show_one(&o, i->if_name, &st);
	}
	if (ctx->opts.json)
		out_end_array(&o);
	if_freenameindex(ifs);
	return DRCTL_OK;
}

static const struct drctl_cmd xdp_cmds[] = {
	{ .name = "attach", .run = xdp_attach },
	{ .name = "detach", .run = xdp_detach },
	{ .name = "show", .run = xdp_show },
	{ 0 },
};

int xdp_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "xdp", xdp_usage, xdp_cmds, argc, argv);
}
