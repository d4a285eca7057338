/* srtraffic helpers: clock, address text, errno names, option parsing. */
#include "srtraffic/util.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

uint64_t srt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *srt_errname(int err, char *buf, size_t len)
{
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, len, "E%d", err);
	return buf;
}

const char *srt_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			if (!inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf, (socklen_t)len))
				snprintf(buf, len, "?");
			return buf;
		}
		if (getnameinfo(sa, sizeof(*s6), buf, (socklen_t)len, NULL, 0, NI_NUMERICHOST))
			snprintf(buf, len, "?");
		return buf;
	}
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		if (!inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)len))
			snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "?");
	return buf;
}

uint16_t srt_addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return 0;
}

void srt_addr_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

int srt_parse_u64(const char *prog, const char *opt, const char *s, uint64_t min, uint64_t max,
		  uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		goto bad;
	v = strtoull(s, &end, 10);
	if (*end || errno)
		goto bad;
	if (v < min || v > max) {
		fprintf(stderr, "%s: %s: %s is out of range (%llu to %llu)\n", prog, opt, s,
			(unsigned long long)min, (unsigned long long)max);
		return -EINVAL;
	}
	*out = v;
	return 0;
bad:
	fprintf(stderr, "%s: %s: '%s' is not a whole number\n", prog, opt, s);
	return -EINVAL;
}

int srt_parse_double(const char *prog, const char *opt, const char *s, double min, double max,
		     double *out)
{
	double v;
	char *end;

	errno = 0;
	if (!*s || *s == ' ')
		goto bad;
	v = strtod(s, &end);
	if (*end || errno || !isfinite(v))
		goto bad;
	if (v < min || v > max) {
		fprintf(stderr, "%s: %s: %s is out of range (%g to %g)\n", prog, opt, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
bad:
	fprintf(stderr, "%s: %s: '%s' is not a number\n", prog, opt, s);
	return -EINVAL;
}

int srt_parse_duration(const char *prog, const char *opt, const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {{"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"", 1e9}};
	double v, total;
	char *end;

	errno = 0;
	if (!*s || *s == ' ' || *s == '-' || *s == '+')
		goto bad;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v))
		goto bad;
	for (unsigned i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		total = v * units[i].scale;
		/* One week is far beyond any lab run and keeps ns arithmetic exact. */
		if (!(total >= 1e3) || total > 7 * 86400e9) {
			fprintf(stderr, "%s: %s: %s is out of range (1us to 7 days)\n", prog, opt,
				s);
			return -EINVAL;
		}
		*ns = (uint64_t)total;
		return 0;
	}
bad:
	fprintf(stderr, "%s: %s: '%s' is not a duration (e.g. 2, 1.5s, 250ms)\n", prog, opt, s);
	return -EINVAL;
}

int srt_parse_ports(const char *prog, const char *opt, const char *s, uint16_t *ports, unsigned cap,
		    unsigned *n)
{
	char tok[16];
	const char *p = s;

	/* Each iteration consumes one comma-separated token; the list is capped by cap. */
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		uint64_t v;

		if (len == 0 || len >= sizeof(tok)) {
			fprintf(stderr, "%s: %s: '%s' is not a port list (e.g. 9000,9001)\n", prog,
				opt, s);
			return -EINVAL;
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (srt_parse_u64(prog, opt, tok, 1, 65535, &v))
			return -EINVAL;
		for (unsigned i = 0; i < *n; i++) {
			if (ports[i] == v) {
				fprintf(stderr, "%s: %s: port %s given twice\n", prog, opt, tok);
				return -EINVAL;
			}
		}
		if (*n == cap) {
			fprintf(stderr, "%s: %s: more than %u ports\n", prog, opt, cap);
			return -EINVAL;
		}
		ports[(*n)++] = (uint16_t)v;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int srt_parse_addr(const char *prog, const char *opt, const char *s, struct srt_addr *out)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_DGRAM};
	struct addrinfo *ai;
	char buf[SRT_ADDR_STRLEN];
	size_t len = strlen(s);

	/* Accept "[2001:db8::1]" as well, the way URLs write IPv6 addresses. */
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']' && len - 2 < sizeof(buf)) {
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
	} else if (len < sizeof(buf)) {
		memcpy(buf, s, len + 1);
	} else {
		goto bad;
	}
	if (getaddrinfo(buf, NULL, &hints, &ai) != 0)
		goto bad;
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, ai->ai_addr, ai->ai_addrlen);
	out->len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
bad:
	fprintf(stderr, "%s: %s: '%s' is not a numeric IPv4 or IPv6 address\n", prog, opt, s);
	return -EINVAL;
}

FILE *srt_report_open(const char *prog, const char *path)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "%s: --json: cannot write %s: %s\n", prog, path, strerror(errno));
	return f;
}

int srt_report_close(FILE *f)
{
	if (f == stdout)
		return fflush(f) ? -errno : 0;
	return fclose(f) ? -errno : 0;
}
