/* hog.c: allocates and touches 512 MiB (for the runner's address-space cap test). */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	size_t n = 512UL << 20;
	char *p = malloc(n);
	if (!p)
		return 42; /* what a capped run should see */
	memset(p, 1, n);
	free(p);
	return 0;
}
