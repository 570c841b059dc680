/* spawner.c: forks a grandchild that outlives it and sleeps (for the runner's tests). */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (fork() == 0) {
		sleep(60);
		_exit(0);
	}
	/* "exit": leave the grandchild behind; else hang too. */
	if (argc > 1)
		return 3;
	sleep(60);
	return 0;
}
