#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "srlab/proc.h"

static FILE *trace;

void proc_set_trace(FILE *f)
{
	trace = f;
}

/* "+ [ip netns exec NS] ARGV..." with arguments that hold spaces quoted. */
static void trace_argv(const char *ns, const char *const argv[], const char *bg)
{
	if (!trace)
		return;
	fputs("srlab: +", trace);
	if (ns)
		fprintf(trace, " ip netns exec %s", ns);
	for (int i = 0; argv[i] && i < PROC_ARGS_MAX; i++)
		fprintf(trace, strpbrk(argv[i], " \t'\"$") || !argv[i][0] ? " '%s'" : " %s",
			argv[i]);
	fprintf(trace, "%s\n", bg);
	fflush(trace);
}

double proc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void proc_sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* execvp() with the argument vector the way callers build it (string
 * literals and const names); exec never writes to it. */
static void exec_argv(const char *const argv[])
{
	char *const *av;

	memcpy(&av, &argv, sizeof(av));
	execvp(argv[0], av);
}

/* Appends what fd gives until EOF, keeping the first cap-1 bytes. */
static void drain_into(int fd, char *buf, size_t cap, size_t *len)
{
	char tmp[4096];
	ssize_t n;

	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (buf && cap > 1 && *len < cap - 1) {
			size_t k = (size_t)n < cap - 1 - *len ? (size_t)n : cap - 1 - *len;

			memcpy(buf + *len, tmp, k);
			*len += k;
			buf[*len] = 0;
		}
	}
}

int proc_run(const char *const argv[], char *out, size_t out_cap, char *errbuf, size_t err_cap)
{
	int pe[2] = {-1, -1}, po[2] = {-1, -1}, st;
	size_t elen = 0, olen = 0;
	pid_t pid;

	if (errbuf && err_cap)
		errbuf[0] = 0;
	if (out && out_cap)
		out[0] = 0;
	trace_argv(NULL, argv, "");
	if (pipe2(pe, O_CLOEXEC) || (out && pipe2(po, O_CLOEXEC)))
		goto err_pipe;
	pid = fork();
	if (pid < 0)
		goto err_pipe;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(out ? po[1] : pe[1], 1);
		dup2(pe[1], 2);
		exec_argv(argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pe[1]);
	if (out) {
		struct pollfd pfd[2] = {{.fd = po[0], .events = POLLIN},
					{.fd = pe[0], .events = POLLIN}};
		bool open_o = true, open_e = true;

		close(po[1]);
		/* both pipes at once, so that neither fills up and blocks the child */
		while (open_o || open_e) {
			char tmp[4096];
			ssize_t n;

			pfd[0].fd = open_o ? po[0] : -1;
			pfd[1].fd = open_e ? pe[0] : -1;
			if (poll(pfd, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int k = 0; k < 2; k++) {
				char *b = k ? errbuf : out;
				size_t cap = k ? err_cap : out_cap, *l = k ? &elen : &olen;

				if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				n = read(pfd[k].fd, tmp, sizeof(tmp));
				if (n <= 0) {
					if (k)
						open_e = false;
					else
						open_o = false;
					continue;
				}
				if (b && cap > 1 && *l < cap - 1) {
					size_t c =
						(size_t)n < cap - 1 - *l ? (size_t)n : cap - 1 - *l;

					memcpy(b + *l, tmp, c);
					*l += c;
					b[*l] = 0;
				}
			}
		}
		close(po[0]);
	} else {
		drain_into(pe[0], errbuf, err_cap, &elen);
	}
	close(pe[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	/* trim the trailing newline of the captured error text */
	while (errbuf && elen && (errbuf[elen - 1] == '\n' || errbuf[elen - 1] == ' '))
		errbuf[--elen] = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
err_pipe:
	for (int k = 0; k < 2; k++) {
		if (pe[k] >= 0)
			close(pe[k]);
		if (po[k] >= 0)
			close(po[k]);
	}
	if (errbuf && err_cap)
		snprintf(errbuf, err_cap, "cannot run %s: %s", argv[0], strerror(errno));
	return -1;
}

static int enter_ns(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET)) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

pid_t proc_spawn(const char *ns, const char *const argv[], const char *out, const char *err)
{
	pid_t pid;

	trace_argv(ns, argv, " &");
	pid = fork();

	if (pid != 0)
		return pid;
	setsid();
	int null = open("/dev/null", O_RDWR);
	int fo = out ? open(out, O_WRONLY | O_CREAT | O_APPEND, 0644) : null;
	int fe = err ? open(err, O_WRONLY | O_CREAT | O_APPEND, 0644) : null;

	dup2(null, 0);
	dup2(fo < 0 ? null : fo, 1);
	dup2(fe < 0 ? null : fe, 2);
	if (ns) {
		int rc = enter_ns(ns);

		if (rc) {
			dprintf(2, "srlab: cannot enter namespace %s: %s\n", ns, strerror(-rc));
			_exit(127);
		}
	}
	exec_argv(argv);
	dprintf(2, "srlab: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

uint64_t proc_start_time(pid_t pid)
{
	char path[64], buf[1024];
	unsigned long long st = 0;
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* the command name may hold spaces and ')': fields follow the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* after ')': state is field 3, starttime field 22 */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &st) != 1)
		return 0;
	return st;
}

bool proc_alive(pid_t pid)
{
	char path[64], buf[512];
	const char *p;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return false;
	if (waitpid(pid, NULL, WNOHANG) == pid)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

int proc_stop(pid_t pid, int sig, int wait_ms)
{
	int st;

	if (pid <= 0)
		return -1;
	kill(pid, sig);
	for (int waited = 0;; waited += 20) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0 && !proc_alive(pid))
			return -1;
		if (waited >= wait_ms)
			break;
		proc_sleep_ms(20);
	}
	kill(pid, SIGKILL);
	if (waitpid(pid, &st, 0) == pid)
		return st;
	for (int k = 0; k < 50 && proc_alive(pid); k++)
		proc_sleep_ms(20);
	return -1;
}

bool ns_exists(const char *ns)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	return stat(path, &sb) == 0;
}

/* Runs fn(arg) with this thread inside namespace ns, then comes back. srlab
 * is single-threaded, so nothing else sees the switch. */
static int in_ns(const char *ns, int (*fn)(const void *), const void *arg)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), rc;

	if (self < 0)
		return -errno;
	rc = enter_ns(ns);
	if (rc) {
		close(self);
		return rc;
	}
	rc = fn(arg);
	if (setns(self, CLONE_NEWNET)) {
		/* cannot come back: every later step would act in the wrong place */
		fprintf(stderr, "srlab: cannot return to the original namespace: %s\n",
			strerror(errno));
		abort();
	}
	close(self);
	return rc;
}

struct sysctl_arg {
	const char *key, *value;
};

static int write_sysctl(const void *p)
{
	const struct sysctl_arg *a = p;
	char path[256];
	size_t n = strlen(a->value);
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", a->key);
	for (char *c = path + 10; *c; c++)
		if (*c == '.')
			*c = '/';
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, a->value, n) != (ssize_t)n) {
		int e = errno ? errno : EIO;

		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

int ns_sysctl(const char *ns, const char *key, const char *value)
{
	struct sysctl_arg a = {key, value};

	if (trace)
		fprintf(trace, "srlab: + ip netns exec %s sysctl -qw %s=%s\n", ns, key, value);
	return in_ns(ns, write_sysctl, &a);
}

static int offloads_off(const void *p)
{
	const char *ifname = p;
	static const uint32_t cmds[] = {ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO, ETHTOOL_STXCSUM};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct ethtool_value ev = {.cmd = cmds[i], .data = 0};
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
		ifr.ifr_data = (char *)&ev;
		if (ioctl(s, SIOCETHTOOL, &ifr) && errno != EOPNOTSUPP)
			rc = -errno;
	}
	close(s);
	return rc;
}

int ns_offloads_off(const char *ns, const char *ifname)
{
	if (trace)
		fprintf(trace,
			"srlab: + ip netns exec %s ethtool -K %s tso off gso off gro off tx off\n",
			ns, ifname);
	return in_ns(ns, offloads_off, ifname);
}
