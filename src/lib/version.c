/* Release and commit from $(BUILD)/gen/build_version.h, which the Makefile
 * rewrites only when VERSION or the commit changes. */
#include "lib/version.h"

#include "build_version.h"

const char *version_release(void)
{
	return SRCHAIN_VERSION;
}

const char *version_commit(void)
{
	return SRCHAIN_COMMIT;
}

int version_print(FILE *f, const char *prog)
{
	if (SRCHAIN_COMMIT[0])
		fprintf(f, "%s %s (%s)\n", prog, SRCHAIN_VERSION, SRCHAIN_COMMIT);
	else
		fprintf(f, "%s %s\n", prog, SRCHAIN_VERSION);
	return 0;
}
