/* The state file of a lab (one record a line, synced before the object it
 * names exists) and what reads it back: `srlab down` (processes, then
 * namespaces, then the directory), lab_find and `srlab status`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/file.h"
#include "srlab/lab.h"
#include "srlab/lab_int.h"
#include "srlab/proc.h"
#include "srlab/util.h"

/* Appends one record to the state file and syncs it: the record must be on
 * disk before the object it names exists. */
int lab_record(const struct lab *lab, const char *fmt, ...)
{
	char path[LAB_PATH_MAX + 16], line[600];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line) - 1)
		return -EINVAL;
	line[n++] = '\n';
	snprintf(path, sizeof(path), "%s/state", lab->dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, line, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	fdatasync(fd);
	close(fd);
	return 0;
}

void lab_record_pid(struct lab *lab, pid_t pid, const char *what)
{
	if (pid > 0)
		lab_record(lab, "pid %ld %llu %s", (long)pid,
			   (unsigned long long)proc_start_time(pid), what);
}

struct state {
	char lab[TOPO_NAME_MAX + 1], prefix[TOPO_PREFIX_MAX + 1], topo[LAB_PATH_MAX];
	int n_ns, n_pid;
	bool ready;
	char ns[TOPO_NODES_MAX + TOPO_LINKS_MAX][TOPO_NS_MAX + 1]; /* nodes, links */
	struct {
		pid_t pid;
		unsigned long long start;
		char what[96];
	} pid[1024];
};

static int state_read(const char *dir, struct state *s)
{
	char path[LAB_PATH_MAX + 16], *text = NULL, *save = NULL;
	size_t len;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/state", dir);
	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return -ENOENT;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		long pid;
		unsigned long long st;
		int off = 0;

		if (!strncmp(l, "lab ", 4))
			snprintf(s->lab, sizeof(s->lab), "%s", l + 4);
		else if (!strncmp(l, "prefix ", 7))
			snprintf(s->prefix, sizeof(s->prefix), "%s", l + 7);
		else if (!strncmp(l, "topo ", 5))
			snprintf(s->topo, sizeof(s->topo), "%s", l + 5);
		else if (!strncmp(l, "netns ", 6) && s->n_ns < TOPO_NODES_MAX + TOPO_LINKS_MAX)
			snprintf(s->ns[s->n_ns++], sizeof(s->ns[0]), "%s", l + 6);
		else if (!strcmp(l, "ready"))
			s->ready = true;
		else if (sscanf(l, "pid %ld %llu %n", &pid, &st, &off) == 2 && off &&
			 s->n_pid < 1024) {
			s->pid[s->n_pid].pid = (pid_t)pid;
			s->pid[s->n_pid].start = st;
			snprintf(s->pid[s->n_pid].what, sizeof(s->pid[0].what), "%s", l + off);
			s->n_pid++;
		}
	}
	free(text);
	return s->lab[0] ? 0 : -ENOENT;
}

/* The processes whose network namespace is ns (like `ip netns pids`). */
static int ns_pids(const char *ns, pid_t *out, int max)
{
	char path[300];
	struct stat nsb;
	struct dirent *de;
	DIR *proc;
	int n = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	if (stat(path, &nsb))
		return 0;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((de = readdir(proc)) && n < max) {
		struct stat sb;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &sb) == 0 && sb.st_ino == nsb.st_ino && sb.st_dev == nsb.st_dev)
			out[n++] = (pid_t)pid;
	}
	closedir(proc);
	return n;
}

/* Removes dir, its files and (depth > 0) its subdirectories (NODE.frr/). */
static void rm_dir_depth(const char *dir, int depth)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX + 300];
		struct stat sb;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (depth > 0 && lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_dir_depth(path, depth - 1);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void rm_dir(const char *dir)
{
	rm_dir_depth(dir, 1);
}

int lab_down_dir(const char *dir, bool verbose)
{
	static struct state s;
	int killed = 0, removed = 0;

	if (state_read(dir, &s)) {
		/* a directory from a start that failed before the first record */
		rm_dir(dir);
		return -ENOENT;
	}
	/* processes first: a namespace lives on while a process is inside */
	for (int i = 0; i < s.n_pid; i++) {
		uint64_t st = proc_start_time(s.pid[i].pid);

		if (!st || st != s.pid[i].start)
			continue; /* gone, or the PID now belongs to someone else */
		proc_stop(s.pid[i].pid, SIGTERM, 3000);
		killed++;
		if (verbose)
			printf("srlab: stopped %s (pid %ld)\n", s.pid[i].what, (long)s.pid[i].pid);
	}
	for (int i = 0; i < s.n_ns; i++) {
		pid_t pids[256];
		int np = ns_pids(s.ns[i], pids, 256);
		char err[512];

		/* anything still inside one of our namespaces was started there by
		 * this lab (srlab exec, a crashed run's tools) */
		for (int k = 0; k < np; k++) {
			if (verbose)
				printf("srlab: stopping pid %ld in %s\n", (long)pids[k], s.ns[i]);
			proc_stop(pids[k], SIGTERM, 2000);
			killed++;
		}
		if (!ns_exists(s.ns[i]))
			continue;
		if (proc_run((const char *[]){"ip", "netns", "del", s.ns[i], NULL}, NULL, 0, err,
			     sizeof(err)))
			fprintf(stderr, "srlab: ip netns del %s: %s\n", s.ns[i], err);
		else
			removed++;
		if (verbose)
			printf("srlab: removed namespace %s\n", s.ns[i]);
	}
	rm_dir(dir);
	if (verbose)
		printf("srlab: lab %s down (%d namespaces, %d processes)\n", s.lab, removed,
		       killed);
	return 0;
}

int lab_find(const char *name, const char *prefix, char *dir, size_t cap)
{
	const char *base = lab_state_base();
	static struct state s;
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(base);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		if (state_read(path, &s) || strcmp(s.lab, name) ||
		    (prefix && strcmp(s.prefix, prefix)))
			continue;
		if (found++ == 0)
			snprintf(dir, cap, "%s", path);
	}
	closedir(d);
	return found == 0 ? -ENOENT : found > 1 ? -EEXIST : 0;
}

int lab_status(const char *name)
{
	const char *base = lab_state_base();
	static struct state s;
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(base);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX];
		int ns_up = 0, alive = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		if (state_read(path, &s) || (name && strcmp(s.lab, name)))
			continue;
		for (int i = 0; i < s.n_ns; i++)
			ns_up += ns_exists(s.ns[i]);
		printf("lab %s (prefix %s, %s): %s, %d/%d namespaces, state %s\n", s.lab, s.prefix,
		       s.topo, s.ready ? "up" : "incomplete", ns_up, s.n_ns, path);
		for (int i = 0; i < s.n_ns; i++)
			printf("  netns %-40s %s\n", s.ns[i], ns_exists(s.ns[i]) ? "" : "(gone)");
		for (int i = 0; i < s.n_pid; i++) {
			bool up = proc_start_time(s.pid[i].pid) == s.pid[i].start;

			alive += up;
			if (up || !strncmp(s.pid[i].what, "srchaind", 8))
				printf("  %-46s pid %ld %s\n", s.pid[i].what, (long)s.pid[i].pid,
				       up ? "running" : "(exited)");
		}
		n++;
	}
	closedir(d);
	return n;
}

int lab_prefixes_of(const char *name, char *out, size_t cap)
{
	const char *base = lab_state_base();
	static struct state s;
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(base);

	out[0] = 0;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX];
		size_t l = strlen(out);

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		if (state_read(path, &s) || strcmp(s.lab, name))
			continue;
		snprintf(out + l, cap - l, "%s%s", n++ ? ", " : "", s.prefix);
	}
	closedir(d);
	return n;
}

int lab_node_ns(const char *dir, const char *node, char *ns, size_t cap, char *nodes, size_t ncap)
{
	static struct state s;
	char want[LAB_PATH_MAX];
	size_t skip;

	nodes[0] = 0;
	if (state_read(dir, &s))
		return -ENOENT;
	snprintf(want, sizeof(want), "%s-%s-%s", s.prefix, s.lab, node);
	skip = strlen(s.prefix) + strlen(s.lab) + 2;
	for (int i = 0; i < s.n_ns; i++) {
		size_t l = strlen(nodes);

		if (!strcmp(s.ns[i], want)) {
			snprintf(ns, cap, "%s", want);
			return 0;
		}
		if (strlen(s.ns[i]) > skip)
			snprintf(nodes + l, ncap - l, "%s%s", l ? ", " : "", s.ns[i] + skip);
	}
	return -ENOENT;
}

/* The newest record of "srchaind NODE" whose process still runs, or 0. */
static pid_t daemon_pid(const struct state *s, const char *node)
{
	char what[96];

	snprintf(what, sizeof(what), "srchaind %s", node);
	for (int i = s->n_pid - 1; i >= 0; i--)
		if (!strcmp(s->pid[i].what, what))
			return proc_start_time(s->pid[i].pid) == s->pid[i].start ? s->pid[i].pid
										 : 0;
	return 0;
}

/* Node i's configuration lines from NODE.conf (as written by srlab, the
 * heading comment left out). */
static int load_lines(struct lab *lab, int i)
{
	struct lab_daemon *d = &lab->d[i];
	char *text = NULL, *save = NULL;
	size_t len;
	int rc = 0;

	if (file_read(d->conf, FILE_READ_MAX, &text, &len, NULL))
		return -ENOENT;
	for (char *l = strtok_r(text, "\n", &save); l && !rc; l = strtok_r(NULL, "\n", &save))
		if (strncmp(l, "# srchaind configuration of node ", 33))
			rc = lab_lines_insert(d, d->n_lines, l);
	free(text);
	return rc;
}

int lab_attach(struct lab *lab, char *msg, size_t cap)
{
	static struct state s;
	const struct topo *t = lab->t;
	char a[LAB_PATH_MAX], b[LAB_PATH_MAX];

	if (geteuid() != 0) {
		snprintf(msg, cap, "srlab needs root (network namespaces)");
		return -EPERM;
	}
	if (state_read(lab->dir, &s)) {
		snprintf(msg, cap,
			 "lab %s (prefix %s) is not up: srlab up the topology first, or run "
			 "without --reuse",
			 t->lab, t->prefix);
		return -ENOENT;
	}
	if (!s.ready) {
		snprintf(msg, cap,
			 "lab %s (prefix %s) did not finish coming up: srlab down --lab %s "
			 "--prefix %s",
			 t->lab, t->prefix, t->lab, t->prefix);
		return -EAGAIN;
	}
	if (realpath(s.topo, a) && realpath(t->path, b) && strcmp(a, b)) {
		snprintf(msg, cap, "lab %s (prefix %s) is up from %s, not from %s", t->lab,
			 t->prefix, s.topo, t->path);
		return -EINVAL;
	}
	for (int i = 0; i < t->n_node; i++)
		if (!ns_exists(t->node[i].ns)) {
			snprintf(msg, cap, "lab %s: namespace %s is gone: srlab down and up again",
				 t->lab, t->node[i].ns);
			return -ENOENT;
		}
	lab_find_ctl(lab);
	for (int i = 0; i < t->n_node; i++) {
		if (t->node[i].role != TOPO_SRCHAIN)
			continue;
		lab->d[i].pid = daemon_pid(&s, t->node[i].name);
		if (load_lines(lab, i)) {
			snprintf(msg, cap, "lab %s: cannot read %s", t->lab, lab->d[i].conf);
			return -EIO;
		}
	}
	return 0;
}
