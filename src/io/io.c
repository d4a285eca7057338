/* Backend selection for packet I/O ports. */
#include <errno.h>
#include <string.h>

#include "io/io.h"

static const struct io_ops *const backends[] = {&io_afpacket_ops, &io_afxdp_ops};

int io_open(const char *backend, const char *ifname, const struct io_opts *o, struct io_port **port,
	    struct err *err)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(backends[i]->name, backend))
			return backends[i]->open(port, ifname, o, err);
	return err_set(err, EINVAL, "unknown I/O backend '%s' (afpacket, afxdp)", backend);
}

void io_stats_update(struct io_port *port)
{
	if (port->ops->stats)
		port->ops->stats(port);
}

void io_close(struct io_port *port)
{
	if (port)
		port->ops->close(port);
}
